package dev.vpcflowlogs.recorder.intake;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.system.Failures;
import dev.vpcflowlogs.recorder.system.StartUpStep;
import dev.vpcflowlogs.recorder.system.StoreReady;
import io.awspring.cloud.sqs.listener.MessageListenerContainer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Starts consuming once the store is ready, and keeps trying while the queue cannot be reached. As the
 * {@code queue} health component it reports whether the recorder consumes, and the queue's backlog.
 */
@Component("queueHealthIndicator")
class IntakeStarter implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(IntakeStarter.class);
    private static final Duration HEALTH_CACHE = Duration.ofSeconds(15);

    private final MessageListenerContainer<String> container;
    private final QueueAttributes queueAttributes;
    private final String queue;
    private final Clock clock;
    private final DeadLetterPolicy deadLetters;
    private final RecorderProperties.Intake intake;
    private final StartUpStep step;
    private volatile @Nullable Health cached;
    private volatile Instant cachedAt = Instant.MIN;

    IntakeStarter(
            MessageListenerContainer<String> container,
            QueueAttributes queueAttributes,
            RecorderProperties properties,
            TaskScheduler scheduler,
            Clock clock,
            DeadLetterPolicy deadLetters) {
        this.container = container;
        this.queueAttributes = queueAttributes;
        this.queue = properties.queue();
        this.clock = clock;
        this.deadLetters = deadLetters;
        this.intake = properties.intake();
        this.step = new StartUpStep(
                log,
                scheduler,
                clock,
                "waiting for the store",
                Duration.ofMinutes(1),
                e -> "cannot consume queue " + queue + ": " + Failures.rootMessage(e));
    }

    @EventListener(StoreReady.class)
    void start() {
        step.tryNow(() -> {
            if (container.isRunning()) {
                return;
            }
            try {
                container.start();
            } catch (RuntimeException e) {
                stopQuietly();
                throw e;
            }
            cachedAt = Instant.MIN;
            log.info("Consuming alarm events from queue {}.", queue);
            readRedrivePolicy();
        });
    }

    /** Poison messages are counted when they leave for the dead-letter queue; a queue without one is warned of. */
    private void readRedrivePolicy() {
        try {
            OptionalInt max = queueAttributes.maxReceiveCount(queue);
            deadLetters.maxReceiveCount(max.isPresent() ? Integer.valueOf(max.getAsInt()) : null);
            if (max.isEmpty()) {
                log.warn(
                        "Queue {} has no dead-letter queue: a message that always fails is retried until the queue's"
                                + " retention drops it. Give it a redrive policy.",
                        queue);
            } else {
                OutageTolerance tolerance = tolerance(max.getAsInt());
                Duration survives = tolerance.survives();
                if (survives.compareTo(OutageTolerance.RECOMMENDED) < 0) {
                    log.warn(
                            "Queue {} sends a message to its dead-letter queue after {} receives: with retries {} to"
                                    + " {} apart, an outage of the store longer than {} dead-letters valid events."
                                    + " Raise its maxReceiveCount to at least {} to survive {}.",
                            queue,
                            max.getAsInt(),
                            OutageTolerance.words(intake.firstRetryDelay()),
                            OutageTolerance.words(intake.maxRetryDelay()),
                            OutageTolerance.words(survives),
                            tolerance.receivesFor(OutageTolerance.RECOMMENDED),
                            OutageTolerance.words(OutageTolerance.RECOMMENDED));
                } else {
                    log.info(
                            "Queue {} sends a message to its dead-letter queue after {} receives: an event survives"
                                    + " an outage of the store of up to {}.",
                            queue,
                            max.getAsInt(),
                            OutageTolerance.words(survives));
                }
            }
        } catch (RuntimeException e) {
            log.warn("The redrive policy of queue {} could not be read ({}).", queue, Failures.rootMessage(e));
        }
    }

    private OutageTolerance tolerance(int maxReceiveCount) {
        return new OutageTolerance(maxReceiveCount, intake.firstRetryDelay(), intake.maxRetryDelay());
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
        if (!step.done() || !container.isRunning()) {
            String why = step.problem();
            return Health.down()
                    .withDetail("queue", queue)
                    .withDetail("reason", why == null ? "the consumer is stopped" : why)
                    .build();
        }
        Instant now = clock.instant();
        Health health = cached;
        if (health == null || now.isAfter(cachedAt.plus(HEALTH_CACHE))) {
            health = probe();
            cached = health;
            cachedAt = now;
        }
        return health;
    }

    private Health probe() {
        try {
            QueueAttributes.Backlog backlog = queueAttributes.backlog(queue);
            OptionalInt max = deadLetters.maxReceiveCount();
            return Health.up()
                    .withDetail("queue", queue)
                    .withDetail("deadLetterAfterReceives", max.isPresent() ? max.getAsInt() : "no dead-letter queue")
                    .withDetail(
                            "survivesOutagesOf",
                            max.isPresent()
                                    ? tolerance(max.getAsInt()).survives().toString()
                                    : "until the queue's retention")
                    .withDetail("waiting", String.valueOf(backlog.waiting()))
                    .withDetail("inFlight", String.valueOf(backlog.inFlight()))
                    .build();
        } catch (RuntimeException e) {
            return Health.down()
                    .withDetail("queue", queue)
                    .withDetail("reason", "the queue cannot be reached: " + Failures.rootMessage(e))
                    .build();
        }
    }
}
