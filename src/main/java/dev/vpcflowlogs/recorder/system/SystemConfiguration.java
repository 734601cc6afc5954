package dev.vpcflowlogs.recorder.system;

import java.time.Clock;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The clock, the store's deferred migration, the scheduler's shutdown, and the locks of singleton tasks. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

    /** Time comes from here; tests replace it. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Boot would migrate while the context starts, and a database that is down would stop the daemon. */
    @Bean
    static FlywayMigrationStrategy deferredMigration() {
        return flyway -> {};
    }

    /**
     * Deadlines are stored and armed again at start-up, so shutdown drops the delayed tasks instead of waiting for
     * them; a task already running is still awaited.
     */
    @Bean
    ThreadPoolTaskSchedulerCustomizer dropDelayedTasksOnShutdown() {
        return scheduler -> {
            scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        };
    }

    /** Singleton tasks (the reconcilers) run on one replica at a time, with the database's clock. */
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
}
