package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.intake.IntakeErrorHandler;
import dev.vpcflowlogs.recorder.intake.QueueAttributes;
import io.awspring.cloud.sqs.listener.MessageListener;
import io.awspring.cloud.sqs.listener.QueueNotFoundStrategy;
import io.awspring.cloud.sqs.listener.SqsMessageListenerContainer;
import io.awspring.cloud.sqs.listener.acknowledgement.handler.AcknowledgementMode;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.json.JsonMapper;

/** The intake's queue through SQS: the listener container, and the queue's attributes. */
@Configuration(proxyBeanMethods = false)
class SqsIntake {

    /**
     * The queue consumer. It starts only once the store is ready (the intake starts it); a queue that does not exist
     * is an error, never silently created; a failed message comes back when the intake's error handler says.
     */
    @Bean
    SqsMessageListenerContainer<String> alarmEventContainer(
            SqsAsyncClient sqs,
            RecorderProperties properties,
            MessageListener<String> alarmEvents,
            IntakeErrorHandler errors) {
        RecorderProperties.Intake intake = properties.intake();
        return SqsMessageListenerContainer.<String>builder()
                .id("alarm-events")
                .sqsAsyncClient(sqs)
                .queueNames(properties.queue())
                .messageListener(alarmEvents)
                .errorHandler(errors)
                .configure(options -> options.autoStartup(false)
                        .queueNotFoundStrategy(QueueNotFoundStrategy.FAIL)
                        .acknowledgementMode(AcknowledgementMode.ON_SUCCESS)
                        .maxConcurrentMessages(intake.maxConcurrentMessages())
                        .maxMessagesPerPoll(Math.min(10, intake.maxConcurrentMessages()))
                        .pollTimeout(intake.pollTimeout())
                        .listenerShutdownTimeout(Duration.ofSeconds(20)))
                .build();
    }

    @Bean
    QueueAttributes sqsQueueAttributes(SqsAsyncClient sqs, JsonMapper json) {
        return new SqsQueueAttributes(sqs, json);
    }

    /** GetQueueAttributes on a queue named by its name or URL. */
    record SqsQueueAttributes(SqsAsyncClient sqs, JsonMapper json) implements QueueAttributes {

        @Override
        public OptionalInt maxReceiveCount(String queue) {
            String policy = attributes(queue, QueueAttributeName.REDRIVE_POLICY).get(QueueAttributeName.REDRIVE_POLICY);
            if (policy == null || policy.isBlank()) {
                return OptionalInt.empty();
            }
            int max = json.readTree(policy).path("maxReceiveCount").asInt(0);
            return max > 0 ? OptionalInt.of(max) : OptionalInt.empty();
        }

        @Override
        public Backlog backlog(String queue) {
            Map<QueueAttributeName, String> attributes = attributes(
                    queue,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
            return new Backlog(
                    number(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                    number(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
        }

        private Map<QueueAttributeName, String> attributes(String queue, QueueAttributeName... names) {
            String url = queue.startsWith("https://") || queue.startsWith("http://")
                    ? queue
                    : sqs.getQueueUrl(r -> r.queueName(queue)).join().queueUrl();
            return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(names))
                    .join()
                    .attributes();
        }

        private static long number(@Nullable String value) {
            return value == null ? 0 : Long.parseLong(value);
        }
    }
}
