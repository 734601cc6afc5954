package dev.vpcflowlogs.recorder.intake;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import io.awspring.cloud.sqs.listener.QueueNotFoundStrategy;
import io.awspring.cloud.sqs.listener.SqsMessageListenerContainer;
import io.awspring.cloud.sqs.listener.acknowledgement.handler.AcknowledgementMode;
import io.awspring.cloud.sqs.listener.errorhandler.ExponentialBackoffErrorHandler;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

@Configuration(proxyBeanMethods = false)
class IntakeConfiguration {

    /**
     * The queue consumer. It starts only once the store is ready ({@link IntakeStarter}); a queue that does not exist
     * is an error, never silently created; a failed message's visibility grows exponentially before its retry.
     */
    @Bean
    SqsMessageListenerContainer<String> alarmEventContainer(
            SqsAsyncClient sqs, RecorderProperties properties, AlarmEventListener listener) {
        RecorderProperties.Intake intake = properties.intake();
        return SqsMessageListenerContainer.<String>builder()
                .id("alarm-events")
                .sqsAsyncClient(sqs)
                .queueNames(properties.queue())
                .messageListener(listener)
                .errorHandler(ExponentialBackoffErrorHandler.<String>builder()
                        .initialVisibilityTimeoutSeconds(
                                (int) intake.firstRetryDelay().toSeconds())
                        .maxVisibilityTimeoutSeconds(
                                (int) intake.maxRetryDelay().toSeconds())
                        .build())
                .configure(options -> options.autoStartup(false)
                        .queueNotFoundStrategy(QueueNotFoundStrategy.FAIL)
                        .acknowledgementMode(AcknowledgementMode.ON_SUCCESS)
                        .maxConcurrentMessages(intake.maxConcurrentMessages())
                        .maxMessagesPerPoll(Math.min(10, intake.maxConcurrentMessages()))
                        .pollTimeout(intake.pollTimeout())
                        .listenerShutdownTimeout(Duration.ofSeconds(20)))
                .build();
    }
}
