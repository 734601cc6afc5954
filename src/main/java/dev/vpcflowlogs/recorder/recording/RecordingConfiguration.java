package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RecordingConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    RecordingPolicy recordingPolicy(RecorderProperties properties) {
        RecorderProperties.Recording r = properties.recording();
        return new RecordingPolicy(r.tail(), r.maxDuration(), r.maxRecordingsPerGateway(), r.retryDelay());
    }

    /** Boot would migrate while the context starts, and a database that is down would stop the daemon. */
    @Bean
    static FlywayMigrationStrategy deferredMigration() {
        return flyway -> {};
    }

    /**
     * Deadlines are stored and re-armed at start-up, so shutdown drops the delayed ones instead of waiting for them;
     * a task already running is still awaited.
     */
    @Bean
    ThreadPoolTaskSchedulerCustomizer dropDelayedTasksOnShutdown() {
        return scheduler -> {
            scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        };
    }

    /** Readiness: the store is reachable and migrated. */
    @Bean
    HealthIndicator storeHealthIndicator(StoreInitializer initializer) {
        return initializer::health;
    }
}
