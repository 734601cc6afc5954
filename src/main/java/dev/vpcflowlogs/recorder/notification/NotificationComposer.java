package dev.vpcflowlogs.recorder.notification;

import dev.vpcflowlogs.recorder.config.FlowLogFormat;
import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.DeliveryFailure;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingState;
import dev.vpcflowlogs.recorder.recording.ResourceFailure;
import dev.vpcflowlogs.recorder.report.InsightsQuery;
import dev.vpcflowlogs.recorder.report.StoredReport;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Writes the end-of-recording notification: what was recorded, why it stopped, and how to read it. */
@Component
class NotificationComposer {

    private final RecorderProperties.FlowLogs flowLogs;
    private final FlowLogFormat format;
    private final Places places;

    NotificationComposer(RecorderProperties properties, Places places) {
        this.flowLogs = properties.flowLogs();
        this.format = properties.flowLogs().format();
        this.places = places;
    }

    Notification compose(Recording r, @Nullable StoredReport report) {
        return Notification.fitted(subject(r), body(r, report));
    }

    private String subject(Recording r) {
        return r.state() == RecordingState.COMPLETED
                ? "Flow logs recorded on " + r.gatewayId() + " for " + human(r.recordedFor()) + " (" + stopReason(r)
                        + ")"
                : "Recording FAILED on " + r.gatewayId() + ": " + firstLine(r.failure());
    }

    private String body(Recording r, @Nullable StoredReport report) {
        StringBuilder b = new StringBuilder();
        if (r.state() == RecordingState.COMPLETED) {
            b.append("VPC Flow Logs were recorded on NAT gateway ")
                    .append(r.gatewayId())
                    .append(" and have been deleted.\n\n");
        } else if (r.flowLogIds().isEmpty()) {
            b.append("The recording of NAT gateway ")
                    .append(r.gatewayId())
                    .append(" failed: no flow log was created.\n\n");
        } else {
            b.append("The recording of NAT gateway ")
                    .append(r.gatewayId())
                    .append(" failed to stop: its flow logs could not be deleted yet.\n\n");
        }
        line(b, "Recording", r.id());
        line(
                b,
                "Gateway",
                r.gatewayId() + " ("
                        + (r.place().home() ? "" : "account " + r.place().account() + ", ")
                        + r.place().region() + ")");
        line(
                b,
                "Window",
                r.startedAt() == null
                        ? "alarm at " + seconds(r.createdAt()) + ", never started"
                        : seconds(r.startedAt()) + " to " + seconds(r.endedAt()) + " (" + human(r.recordedFor()) + ")");
        if (r.startedBy() != null) {
            line(b, "Started by", r.startedBy() + ", by hand");
        }
        line(
                b,
                "Stopped because",
                (r.state() == RecordingState.FAILED ? "it failed: " + r.failure() : stopReason(r))
                        + (r.stoppedBy() == null ? "" : " (" + r.stoppedBy() + ")"));
        if (r.regional()) {
            line(b, "Recorded on", "the regional gateway itself (one flow log across its zones)");
        } else {
            line(b, "Interfaces", r.resourceIds().isEmpty() ? "-" : String.join(", ", r.resourceIds()));
        }
        line(b, "Flow logs", r.flowLogIds().isEmpty() ? "-" : String.join(", ", r.flowLogIds()));
        for (ResourceFailure failure : r.resourceFailures()) {
            line(b, "Not recorded", failure.toString());
        }
        for (DeliveryFailure failure : r.deliveryFailures()) {
            line(
                    b,
                    "Not delivering",
                    failure
                            + (failure.accessError()
                                    ? " (VPC Flow Logs could not use the delivery role " + flowLogs.deliveryRoleArn()
                                            + ", or reach the log group)"
                                    : ""));
        }
        if (r.flowLogIds().isEmpty()) {
            return b.toString();
        }
        b.append('\n');
        if (report == null) {
            line(b, "Report", "not made (recorder.report.enabled is false)");
        } else if (report.summary() == null) {
            line(b, "Report", "not available: " + report.detail());
        } else {
            b.append(report.summary());
        }
        b.append('\n');
        line(b, "Log group", places.logGroup(r.place()));
        line(
                b,
                "Console",
                consoleLink(r.place())
                        + (r.place().home() ? "" : " (signed in to " + r.place().account() + ")"));
        // A recording with flow logs started; its end is set once it ended (its creation and start otherwise).
        Instant started = r.startedAt() != null ? r.startedAt() : r.createdAt();
        Instant ended = r.endedAt() != null ? r.endedAt() : started;
        Instant from = started.minus(flowLogs.maxAggregationInterval()).truncatedTo(ChronoUnit.SECONDS);
        Instant to = ended.plus(flowLogs.maxAggregationInterval()).truncatedTo(ChronoUnit.SECONDS);
        b.append("\nLogs Insights, ")
                .append(from)
                .append(" to ")
                .append(to)
                .append(" (aws logs start-query --start-time ")
                .append(from.getEpochSecond())
                .append(" --end-time ")
                .append(to.getEpochSecond())
                .append("), each byte once, one query a line:\n");
        for (InsightsQuery.Titled q : InsightsQuery.queries(format, r.regional(), r.streamSources())) {
            // One line each: Logs Insights takes its commands on one line, and an email stays short.
            b.append("\n")
                    .append(q.title())
                    .append(":\n")
                    .append(q.query().replace("\n", " "))
                    .append('\n');
        }
        return b.toString();
    }

    /** The log group in the console of the recording's region (the account is the one signed in). */
    String consoleLink(Place place) {
        String group = URLEncoder.encode(places.logGroup(place), StandardCharsets.UTF_8)
                .replace("%", "$25");
        return "https://" + place.region() + ".console.aws.amazon.com/cloudwatch/home?region=" + place.region()
                + "#logsV2:log-groups/log-group/" + group;
    }

    /** Why it stopped: every ended recording but a failed one has a reason; "-" for one that has none. */
    private static String stopReason(Recording r) {
        return r.stopReason() == null ? "-" : r.stopReason().description();
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(String.format("%-16s %s%n", label, value));
    }

    private static String seconds(@Nullable Instant instant) {
        return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String firstLine(@Nullable String text) {
        return text == null ? "unknown cause" : text.lines().findFirst().orElse("");
    }

    static String human(@Nullable Duration d) {
        if (d == null) {
            return "-";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        return (s / 3600) + "h " + (s % 3600 / 60) + "m";
    }
}
