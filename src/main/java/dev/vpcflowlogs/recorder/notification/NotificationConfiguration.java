package dev.vpcflowlogs.recorder.notification;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

@Configuration(proxyBeanMethods = false)
class NotificationConfiguration {

    /**
     * Notifications read flow logs for their report: never on the scheduler's threads, which fire deadlines. As many at
     * once as {@code recorder.report.parallel} reports: reports of one log group made at once share their reads.
     */
    @Bean
    ThreadPoolTaskExecutor notificationExecutor(RecorderProperties properties) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix("notify-");
        executor.setCorePoolSize(properties.report().parallel());
        executor.setMaxPoolSize(properties.report().parallel());
        executor.setWaitForTasksToCompleteOnShutdown(true);
        executor.setAwaitTerminationSeconds(20);
        return executor;
    }
}
