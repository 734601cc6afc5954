package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

@Configuration(proxyBeanMethods = false)
class ReportConfiguration {

    /** Reads flow log records under the report's timeout; a read that overruns is interrupted. */
    @Bean
    ThreadPoolTaskExecutor reportReaders(RecorderProperties properties) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix("report-");
        executor.setCorePoolSize(properties.report().parallel());
        executor.setMaxPoolSize(properties.report().parallel());
        return executor;
    }
}
