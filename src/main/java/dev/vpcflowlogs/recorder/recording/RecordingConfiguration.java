package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

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
        Duration notificationDelay =
                properties.report().enabled() ? properties.report().delay() : Duration.ZERO;
        return new RecordingPolicy(
                r.tail(), r.maxDuration(), r.maxRecordingsPerGateway(), r.retryDelay(), notificationDelay);
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

    /** Notifications read flow logs for their report: never on the scheduler's threads, which fire deadlines. */
    @Bean
    ThreadPoolTaskExecutor notificationExecutor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix("notify-");
        executor.setCorePoolSize(2);
        executor.setMaxPoolSize(2);
        executor.setWaitForTasksToCompleteOnShutdown(true);
        executor.setAwaitTerminationSeconds(20);
        return executor;
    }

    /** On PostgreSQL replicas serialize each gateway among themselves; H2 serves a single replica. */
    @Bean
    GatewayLocks gatewayLocks(DataSource dataSource, Environment environment) {
        String url = environment.getProperty("spring.datasource.url", "");
        return url.startsWith("jdbc:postgresql:") ? new PostgresGatewayLocks(dataSource) : new InProcessGatewayLocks();
    }

    /** Singleton tasks (the reconciler) run on one replica at a time, with the database's clock. */
    @Bean
    LockProvider lockProvider(DataSource dataSource) {
        return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource))
                .usingDbTime()
                .build());
    }

    @Bean
    LockingTaskExecutor lockingTaskExecutor(LockProvider lockProvider) {
        return new DefaultLockingTaskExecutor(lockProvider);
    }

    /** Readiness: the store is reachable and migrated. */
    @Bean
    HealthIndicator storeHealthIndicator(StoreInitializer initializer) {
        return initializer::health;
    }
}
