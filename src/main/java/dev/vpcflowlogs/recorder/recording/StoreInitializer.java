package dev.vpcflowlogs.recorder.recording;

import java.time.Clock;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Migrates the store once it can be reached. A database that is down at start-up does not stop the daemon: readiness
 * says why, and the migration is retried until it succeeds; then {@link StoreReady} is published.
 */
@Component
class StoreInitializer {

    private static final Logger log = LoggerFactory.getLogger(StoreInitializer.class);

    private final Flyway flyway;
    private final TaskScheduler scheduler;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private volatile boolean ready;
    private volatile String problem = "the store has not been migrated yet";
    private final BackOffExecution backOff;

    StoreInitializer(Flyway flyway, TaskScheduler scheduler, ApplicationEventPublisher events, Clock clock) {
        this.flyway = flyway;
        this.scheduler = scheduler;
        this.events = events;
        this.clock = clock;
        ExponentialBackOff exponential = new ExponentialBackOff(1000, 2.0);
        exponential.setMaxInterval(30_000);
        this.backOff = exponential.start();
    }

    @EventListener(ApplicationReadyEvent.class)
    void migrate() {
        try {
            flyway.migrate();
        } catch (RuntimeException e) {
            problem = "the store cannot be reached or migrated: " + Failures.rootMessage(e);
            long delay = backOff.nextBackOff();
            log.warn("The recording store is not ready ({}); retrying in {} ms.", problem, delay);
            scheduler.schedule(this::migrate, clock.instant().plusMillis(delay));
            return;
        }
        ready = true;
        problem = null;
        log.info("The recording store is migrated and ready.");
        events.publishEvent(new StoreReady());
    }

    boolean isReady() {
        return ready;
    }

    Health health() {
        return ready
                ? Health.up().build()
                : Health.down().withDetail("reason", problem).build();
    }
}
