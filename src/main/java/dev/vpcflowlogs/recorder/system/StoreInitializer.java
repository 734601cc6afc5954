package dev.vpcflowlogs.recorder.system;

import java.time.Clock;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Migrates the store once it can be reached. A database that is down at start-up does not stop the daemon: the
 * {@code store} readiness component says why, the migration is retried, and then {@link StoreReady} is published.
 */
@Component("storeHealthIndicator")
public class StoreInitializer implements HealthIndicator, StoreReadiness {

    private static final Logger log = LoggerFactory.getLogger(StoreInitializer.class);

    private final Flyway flyway;
    private final Database database;
    private final ApplicationEventPublisher events;
    private final StartUpStep step;

    StoreInitializer(
            Flyway flyway, Database database, TaskScheduler scheduler, ApplicationEventPublisher events, Clock clock) {
        this.flyway = flyway;
        this.database = database;
        this.events = events;
        this.step = new StartUpStep(
                log,
                scheduler,
                clock,
                "the store has not been migrated yet",
                Duration.ofSeconds(30),
                e -> "the store cannot be reached or migrated: " + Failures.rootMessage(e));
    }

    @EventListener(ApplicationReadyEvent.class)
    void migrate() {
        step.tryNow(
                () -> {
                    flyway.migrate();
                    database.makeCommitsDurable();
                    log.info("The recording store ({}) is migrated and ready.", database.kind());
                },
                () -> events.publishEvent(new StoreReady()));
    }

    @Override
    public boolean isReady() {
        return step.done();
    }

    @Override
    public Health health() {
        return step.health().build();
    }
}
