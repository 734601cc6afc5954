package dev.vpcflowlogs.recorder.intake;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.StoreReady;
import io.awspring.cloud.sqs.listener.SqsMessageListenerContainer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts consuming once the store is ready, and keeps trying while the queue cannot be reached. As the
 * {@code queue} health component it reports whether the recorder consumes, and the queue's backlog.
 */
@Component("queueHealthIndicator")
class IntakeStarter implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(IntakeStarter.class);
    private static final Duration HEALTH_CACHE = Duration.ofSeconds(15);

    private final SqsMessageListenerContainer<String> container;
    private final SqsAsyncClient sqs;
    private final RecorderProperties properties;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final DeadLetterPolicy deadLetters;
    private final JsonMapper json;
    private volatile String problem = "waiting for the store";
    private final BackOffExecution backOff = exponentialBackOff().start();
    private volatile Health cached;
    private volatile Instant cachedAt = Instant.MIN;

    IntakeStarter(
            SqsMessageListenerContainer<String> container,
            SqsAsyncClient sqs,
            RecorderProperties properties,
            TaskScheduler scheduler,
            Clock clock,
            DeadLetterPolicy deadLetters,
            JsonMapper json) {
        this.container = container;
        this.sqs = sqs;
        this.properties = properties;
        this.scheduler = scheduler;
        this.clock = clock;
        this.deadLetters = deadLetters;
        this.json = json;
    }

    @EventListener(StoreReady.class)
    synchronized void start() {
        if (container.isRunning()) {
            return;
        }
        try {
            container.start();
            problem = null;
            cachedAt = Instant.MIN;
            log.info("Consuming alarm events from queue {}.", properties.queue());
            readRedrivePolicy();
        } catch (RuntimeException e) {
            problem = "cannot consume queue " + properties.queue() + ": " + rootMessage(e);
            long delay = backOff.nextBackOff();
            log.warn("{}; retrying in {} ms.", problem, delay);
            stopQuietly();
            scheduler.schedule(this::start, clock.instant().plusMillis(delay));
        }
    }

    /** Poison messages are counted when they leave for the dead-letter queue; a queue without one is warned of. */
    private void readRedrivePolicy() {
        try {
            String policy = sqs.getQueueAttributes(
                            r -> r.queueUrl(queueUrl()).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                    .join()
                    .attributes()
                    .get(QueueAttributeName.REDRIVE_POLICY);
            if (policy == null || policy.isBlank()) {
                deadLetters.maxReceiveCount(null);
                log.warn(
                        "Queue {} has no dead-letter queue: a message that always fails is retried until the queue's"
                                + " retention drops it. Give it a redrive policy.",
                        properties.queue());
                return;
            }
            int max = json.readTree(policy).path("maxReceiveCount").asInt(0);
            deadLetters.maxReceiveCount(max > 0 ? max : null);
            log.info("Queue {} sends a message to its dead-letter queue after {} receives.", properties.queue(), max);
        } catch (RuntimeException e) {
            log.warn("The redrive policy of queue {} could not be read ({}).", properties.queue(), rootMessage(e));
        }
    }

    private String queueUrl() {
        return properties.queue().startsWith("https://") || properties.queue().startsWith("http://")
                ? properties.queue()
                : sqs.getQueueUrl(r -> r.queueName(properties.queue())).join().queueUrl();
    }

    private void stopQuietly() {
        try {
            container.stop();
        } catch (RuntimeException ignored) {
            // it did not start
        }
    }

    @Override
    public Health health() {
        if (problem != null || !container.isRunning()) {
            return Health.down()
                    .withDetail("queue", properties.queue())
                    .withDetail("reason", problem == null ? "the consumer is stopped" : problem)
                    .build();
        }
        Instant now = clock.instant();
        if (cached == null || now.isAfter(cachedAt.plus(HEALTH_CACHE))) {
            cached = probe();
            cachedAt = now;
        }
        return cached;
    }

    private Health probe() {
        try {
            String url = properties.queue().startsWith("https://")
                            || properties.queue().startsWith("http://")
                    ? properties.queue()
                    : sqs.getQueueUrl(r -> r.queueName(properties.queue()))
                            .join()
                            .queueUrl();
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(url)
                            .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .join()
                    .attributes();
            return Health.up()
                    .withDetail("queue", properties.queue())
                    .withDetail(
                            "deadLetterAfterReceives",
                            deadLetters.maxReceiveCount().isPresent()
                                    ? deadLetters.maxReceiveCount().getAsInt()
                                    : "no dead-letter queue")
                    .withDetail("waiting", attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .withDetail(
                            "inFlight", attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .build();
        } catch (RuntimeException e) {
            return Health.down()
                    .withDetail("queue", properties.queue())
                    .withDetail("reason", "the queue cannot be reached: " + rootMessage(e))
                    .build();
        }
    }

    private static ExponentialBackOff exponentialBackOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(1000, 2.0);
        backOff.setMaxInterval(60_000);
        return backOff;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = NestedExceptionUtils.getMostSpecificCause(e);
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
