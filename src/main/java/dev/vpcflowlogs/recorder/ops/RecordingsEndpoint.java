package dev.vpcflowlogs.recorder.ops;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.vpcflowlogs.recorder.notification.NotificationQueries;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingQueries;
import dev.vpcflowlogs.recorder.recording.ResourceFailure;
import dev.vpcflowlogs.recorder.report.ReportQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.stereotype.Component;

/** {@code /actuator/recordings}: active and recent recordings; {@code /actuator/recordings/{id}}: one. Read-only. */
@Component
@Endpoint(id = "recordings")
class RecordingsEndpoint {

    static final int RECENT = 50;

    private final RecordingQueries recordings;
    private final ReportQueries reports;
    private final NotificationQueries notifications;

    RecordingsEndpoint(RecordingQueries recordings, ReportQueries reports, NotificationQueries notifications) {
        this.recordings = recordings;
        this.reports = reports;
        this.notifications = notifications;
    }

    @ReadOperation
    Listing list() {
        return new Listing(
                recordings.active().stream().map(this::view).toList(),
                recordings.recent(RECENT).stream().map(this::view).toList());
    }

    /** One recording, with its notification and its spike report once they are made. */
    @ReadOperation
    @Nullable
    Detail one(@Selector String id) {
        return recordings
                .find(id)
                .map(r -> new Detail(
                        view(r),
                        notifications.find(id).orElse(null),
                        reports.find(id).orElse(null)))
                .orElse(null);
    }

    private View view(Recording r) {
        NotificationQueries.View notification = notifications.find(r.id()).orElse(null);
        return View.of(r, notification);
    }

    record Detail(
            @JsonUnwrapped View recording,
            NotificationQueries.@Nullable View notification,
            @Nullable Map<String, Object> report) {}

    record Listing(List<View> active, List<View> recent) {}

    record View(
            String id,
            String natGatewayId,
            String account,
            String region,
            String state,
            Instant alarmAt,
            @Nullable Instant startedAt,
            @Nullable Instant tailEndsAt,
            Instant maxEndsAt,
            @Nullable Instant endedAt,
            @Nullable Instant nextDeadline,
            @Nullable Long durationSeconds,
            @Nullable String stopReason,
            @Nullable String failure,
            @Nullable String mode,
            List<String> resourceIds,
            List<String> flowLogIds,
            List<ResourceFailure> resourceFailures,
            int attempts,
            @Nullable String startedBy,
            @Nullable String stoppedBy,
            @Nullable Instant notifyAt,
            @Nullable Instant notifiedAt) {

        static View of(Recording r, NotificationQueries.@Nullable View notification) {
            Duration recorded = r.recordedFor();
            return new View(
                    r.id(),
                    r.gatewayId(),
                    r.place().accountTag(),
                    r.place().region(),
                    r.state().name(),
                    r.createdAt(),
                    r.startedAt(),
                    r.tailEndsAt(),
                    r.maxEndsAt(),
                    r.endedAt(),
                    r.nextDeadline(),
                    recorded == null ? null : recorded.toSeconds(),
                    r.stopReason() == null ? null : r.stopReason().name(),
                    r.failure(),
                    r.mode() == null ? null : r.mode().name().toLowerCase(java.util.Locale.ROOT),
                    r.resourceIds(),
                    r.flowLogIds(),
                    r.resourceFailures(),
                    r.attempts(),
                    r.startedBy(),
                    r.stoppedBy(),
                    notification == null ? null : notification.dueAt(),
                    notification == null ? null : notification.sentAt());
        }
    }
}
