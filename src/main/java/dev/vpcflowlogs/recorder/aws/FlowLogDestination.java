package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.system.Failures;
import dev.vpcflowlogs.recorder.system.OwnershipTags;
import dev.vpcflowlogs.recorder.system.StartUpStep;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;

/**
 * Makes sure the log group exists with its retention (an existing group is kept as it is, but for its retention).
 * While AWS cannot be reached the daemon stays up: this {@code flowLogDestination} health component says why, and
 * the set-up is retried.
 */
@Component("flowLogDestinationHealthIndicator")
class FlowLogDestination implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(FlowLogDestination.class);

    private final CloudWatchLogsClient logs;
    private final RecorderProperties.FlowLogs settings;
    private final AwsErrors errors;
    private final StartUpStep step;

    FlowLogDestination(
            CloudWatchLogsClient logs,
            RecorderProperties properties,
            TaskScheduler scheduler,
            Clock clock,
            AwsErrors errors) {
        this.logs = logs;
        this.settings = properties.flowLogs();
        this.errors = errors;
        this.step = new StartUpStep(
                log,
                scheduler,
                clock,
                "the log group has not been checked yet",
                Duration.ofMinutes(2),
                e -> "log group " + settings.logGroup() + " cannot be set up: " + Failures.rootText(e));
    }

    /** Off the main thread: an AWS endpoint that hangs must not hold up the store or the consumer. */
    @EventListener(ApplicationReadyEvent.class)
    void start() {
        step.tryOffThread(this::ensure);
    }

    private void ensure() {
        String group = settings.logGroup();
        try {
            try {
                logs.createLogGroup(r ->
                        r.logGroupName(group).tags(Map.of(OwnershipTags.MANAGED_BY, OwnershipTags.MANAGED_BY_VALUE)));
                log.info("Created log group {} for the recordings.", group);
            } catch (ResourceAlreadyExistsException exists) {
                log.debug("Log group {} exists.", group);
            }
            logs.putRetentionPolicy(r -> r.logGroupName(group).retentionInDays(settings.retentionDays()));
            log.info("Log group {} is ready, with a retention of {} days.", group, settings.retentionDays());
        } catch (SdkException e) {
            errors.count("EnsureLogGroup", AwsErrors.codeOf(e));
            throw e;
        }
    }

    @Override
    public Health health() {
        return step.health().withDetail("logGroup", settings.logGroup()).build();
    }
}
