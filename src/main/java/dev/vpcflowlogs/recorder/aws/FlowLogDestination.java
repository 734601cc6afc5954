package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.system.Failures;
import dev.vpcflowlogs.recorder.system.OwnThread;
import dev.vpcflowlogs.recorder.system.OwnershipTags;
import dev.vpcflowlogs.recorder.system.StartUpStep;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;

/**
 * Makes sure every place the recorder serves (its own account in each of its regions, each member account in each of
 * its regions) has its log group, named as {@link Places#logGroup} resolves it there and made with that place's
 * credentials. A group the recorder creates gets {@code recorder.flow-logs.retention-days}; a group that exists keeps
 * its retention (a stack's or an operator's 90 or 365 days is theirs to choose), unless the recorder created it and
 * stopped before setting it. While a place cannot be set up the daemon stays up: this {@code flowLogDestination}
 * health component names the place and why, and the set-up there is retried. The recorder's own account decides the
 * component's status (it is part of readiness); a member account's failure is reported and stays local, as in
 * {@code accounts}.
 */
@Component("flowLogDestinationHealthIndicator")
class FlowLogDestination implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(FlowLogDestination.class);

    /** What one place's group is, once it is set up. */
    private record Ready(String group, String retention, String logGroupClass) {}

    private final Places places;
    private final AwsClients clients;
    private final RecorderProperties.FlowLogs settings;
    private final AwsErrors errors;
    private final Map<Place, StartUpStep> steps = new LinkedHashMap<>();
    private final Map<Place, Ready> ready = new ConcurrentHashMap<>();
    /** Places one after the other, the recorder's own first, on a thread of their own (OwnThread says why). */
    private final ThreadPoolTaskScheduler scheduler = OwnThread.scheduler("log-groups");

    FlowLogDestination(
            Places places, AwsClients clients, RecorderProperties properties, Clock clock, AwsErrors errors) {
        this.places = places;
        this.clients = clients;
        this.settings = properties.flowLogs();
        this.errors = errors;
        for (Place place : places.all()) {
            steps.put(
                    place,
                    new StartUpStep(
                            log,
                            scheduler,
                            clock,
                            "the log group has not been checked yet",
                            Duration.ofMinutes(place.home() ? 2 : 10),
                            e -> "log group " + nameIn(place) + " in " + place + " cannot be set up: "
                                    + Failures.rootText(e)));
        }
    }

    /** The group's name there, or as configured while the recorder's own account id is not known yet. */
    private String nameIn(Place place) {
        try {
            return places.logGroup(place);
        } catch (IllegalStateException notKnownYet) {
            return settings.logGroup();
        }
    }

    /** Off the main thread: an AWS endpoint that hangs must not hold up the store or the consumer. */
    @EventListener(ApplicationReadyEvent.class)
    void start() {
        steps.forEach((place, step) -> step.tryOffThread(() -> ensureOnce(place)));
    }

    @PreDestroy
    void stop() {
        scheduler.shutdown();
    }

    /**
     * Before the first flow log in a place: its group, set up now if the background set-up has not reached it yet
     * (with a thousand accounts it takes minutes). VPC Flow Logs would otherwise find no group, and the delivery role
     * may not create one. A failure is logged and counted, and the start goes on: health names the place.
     */
    void readyIn(Place place) {
        if (ready.containsKey(place)) {
            return;
        }
        try {
            ensure(place);
        } catch (RuntimeException e) {
            log.warn(
                    "The log group in {} could not be set up before its first flow log ({}); the flow log is made"
                            + " anyway.",
                    place,
                    Failures.rootText(e));
        }
    }

    private void ensureOnce(Place place) {
        if (!ready.containsKey(place)) {
            ensure(place);
        }
    }

    private void ensure(Place place) {
        // Throws while the recorder's own account id is not known and the name needs it: the step tries again.
        String group = places.logGroup(place);
        CloudWatchLogsClient logs = clients.logs(place);
        try {
            LogGroup found = find(logs, group);
            if (found == null) {
                try {
                    logs.createLogGroup(r -> r.logGroupName(group)
                            .logGroupClass(settings.logGroupClass().name())
                            .tags(Map.of(OwnershipTags.MANAGED_BY, OwnershipTags.MANAGED_BY_VALUE)));
                    logs.putRetentionPolicy(r -> r.logGroupName(group).retentionInDays(settings.retentionDays()));
                    log.info(
                            "Created log group {} in {} for the recordings, of the {} class, with a retention of {}"
                                    + " days.",
                            group,
                            place,
                            settings.logGroupClass(),
                            settings.retentionDays());
                    ready.put(
                            place,
                            new Ready(
                                    group,
                                    settings.retentionDays() + " days (set by the recorder)",
                                    settings.logGroupClass().name()));
                    return;
                } catch (ResourceAlreadyExistsException madeMeanwhile) {
                    // Another replica, or the start of a recording here, made it a moment ago.
                    found = find(logs, group);
                    if (found == null) {
                        throw new IllegalStateException("log group " + group
                                + " exists (CreateLogGroup) but DescribeLogGroups does not list it yet");
                    }
                }
            }
            ready.put(place, new Ready(group, existing(place, logs, found), classOf(place, found)));
        } catch (SdkException e) {
            errors.count(place, "EnsureLogGroup", AwsErrors.codeOf(e));
            throw e;
        }
    }

    private static @Nullable LogGroup find(CloudWatchLogsClient logs, String group) {
        return logs.describeLogGroups(r -> r.logGroupNamePrefix(group)).logGroups().stream()
                .filter(g -> g.logGroupName().equals(group))
                .findFirst()
                .orElse(null);
    }

    /**
     * The retention of a group that exists: kept as it is. Only a group the recorder tagged as its own and left
     * without retention (it stopped between CreateLogGroup and PutRetentionPolicy) gets the configured one.
     */
    private String existing(Place place, CloudWatchLogsClient logs, LogGroup found) {
        String group = found.logGroupName();
        Integer days = found.retentionInDays();
        if (days == null && createdByRecorder(logs, found)) {
            logs.putRetentionPolicy(r -> r.logGroupName(group).retentionInDays(settings.retentionDays()));
            log.info(
                    "Log group {} in {} was created by the recorder without its retention; set to {} days.",
                    group,
                    place,
                    settings.retentionDays());
            return settings.retentionDays() + " days (set by the recorder)";
        }
        String kept = days == null ? "never expire" : days + " days";
        if (days == null || days != settings.retentionDays()) {
            log.info(
                    "Log group {} in {} exists with a retention of {}: kept (recorder.flow-logs.retention-days, {},"
                            + " applies only to groups the recorder creates).",
                    group,
                    place,
                    kept,
                    settings.retentionDays());
        } else {
            log.info("Log group {} in {} exists with a retention of {}.", group, place, kept);
        }
        return kept + " (kept as found)";
    }

    /**
     * The class of a group that exists: a class never changes after creation (CreateLogGroup), so a group of another
     * class than {@code recorder.flow-logs.log-group-class} is kept and reported, not changed.
     */
    private String classOf(Place place, LogGroup found) {
        String actual = found.logGroupClassAsString() == null ? "STANDARD" : found.logGroupClassAsString();
        if (!actual.equals(settings.logGroupClass().name())) {
            log.warn(
                    "Log group {} in {} exists in the {} class, not {} (recorder.flow-logs.log-group-class): kept,"
                            + " as a class cannot change; its records are read as that class allows.",
                    found.logGroupName(),
                    place,
                    actual,
                    settings.logGroupClass());
        }
        return actual;
    }

    private static boolean createdByRecorder(CloudWatchLogsClient logs, LogGroup group) {
        String arn = group.logGroupArn();
        if (arn == null) {
            return false;
        }
        return OwnershipTags.MANAGED_BY_VALUE.equals(
                logs.listTagsForResource(r -> r.resourceArn(arn)).tags().get(OwnershipTags.MANAGED_BY));
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean ownUp = true;
        for (Map.Entry<Place, StartUpStep> entry : steps.entrySet()) {
            Place place = entry.getKey();
            @Nullable String problem = entry.getValue().problem();
            Ready done = ready.get(place);
            if (done != null) {
                details.put(
                        place.label(),
                        Map.of("logGroup", done.group(), "retention", done.retention(), "class", done.logGroupClass()));
            } else {
                details.put(place.label(), "DOWN: " + problem);
                ownUp &= !place.home();
            }
        }
        return (ownUp ? Health.up() : Health.down()).withDetails(details).build();
    }
}
