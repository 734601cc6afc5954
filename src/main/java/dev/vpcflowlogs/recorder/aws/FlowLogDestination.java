package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;
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
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final AwsErrors errors;
    private volatile String problem = "the log group has not been checked yet";
    private final BackOffExecution backOff;

    FlowLogDestination(
            CloudWatchLogsClient logs,
            RecorderProperties properties,
            TaskScheduler scheduler,
            Clock clock,
            AwsErrors errors) {
        this.logs = logs;
        this.settings = properties.flowLogs();
        this.scheduler = scheduler;
        this.clock = clock;
        this.errors = errors;
        ExponentialBackOff exponential = new ExponentialBackOff(1000, 2.0);
        exponential.setMaxInterval(120_000);
        this.backOff = exponential.start();
    }

    /** Off the main thread: an AWS endpoint that hangs must not hold up the store or the consumer. */
    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler.schedule(this::ensure, clock.instant());
    }

    void ensure() {
        String group = settings.logGroup();
        try {
            try {
                logs.createLogGroup(r -> r.logGroupName(group)
                        .tags(java.util.Map.of(Ec2FlowLogProvider.MANAGED_BY, Ec2FlowLogProvider.MANAGED_BY_VALUE)));
                log.info("Created log group {} for the recordings.", group);
            } catch (ResourceAlreadyExistsException exists) {
                log.debug("Log group {} exists.", group);
            }
            logs.putRetentionPolicy(r -> r.logGroupName(group).retentionInDays(settings.retentionDays()));
            problem = null;
            log.info("Log group {} is ready, with a retention of {} days.", group, settings.retentionDays());
        } catch (SdkException e) {
            errors.count("EnsureLogGroup", AwsErrors.codeOf(e));
            problem = "log group " + group + " cannot be set up: "
                    + NestedExceptionUtils.getMostSpecificCause(e).getMessage();
            long delay = backOff.nextBackOff();
            log.warn("{}; retrying in {} ms.", problem, delay);
            scheduler.schedule(this::ensure, clock.instant().plusMillis(delay));
        }
    }

    @Override
    public Health health() {
        return problem == null
                ? Health.up().withDetail("logGroup", settings.logGroup()).build()
                : Health.down()
                        .withDetail("logGroup", settings.logGroup())
                        .withDetail("reason", problem)
                        .build();
    }
}
