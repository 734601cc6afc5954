package dev.vpcflowlogs.recorder.recording;

import java.time.Clock;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Migrates the store once it can be reached. A database that is down at start-up does not stop the daemon: readiness
 * says why, and the migration is retried until it succeeds; then {@link StoreReady} is published.
 */
@Component
class StoreInitializer {

    private static final Logger log = LoggerFactory.getLogger(StoreInitializer.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Flyway flyway;
    private final TaskScheduler scheduler;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private volatile boolean ready;
    private volatile String problem = "the store has not been migrated yet";
    private Duration backoff = Duration.ofSeconds(1);

    StoreInitializer(Flyway flyway, TaskScheduler scheduler, ApplicationEventPublisher events, Clock clock) {
        this.flyway = flyway;
        this.scheduler = scheduler;
        this.events = events;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void migrate() {
        try {
            flyway.migrate();
        } catch (RuntimeException e) {
            problem = "the store cannot be reached or migrated: " + rootMessage(e);
            log.warn("The recording store is not ready ({}); retrying in {}s.", problem, backoff.toSeconds());
            scheduler.schedule(this::migrate, clock.instant().plus(backoff));
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
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

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
