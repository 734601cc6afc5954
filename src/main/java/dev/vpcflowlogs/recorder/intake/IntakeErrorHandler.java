package dev.vpcflowlogs.recorder.intake;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import io.awspring.cloud.sqs.listener.errorhandler.AsyncErrorHandler;
import io.awspring.cloud.sqs.listener.errorhandler.ExponentialBackoffErrorHandler;
import io.awspring.cloud.sqs.listener.errorhandler.ImmediateRetryAsyncErrorHandler;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.stereotype.Component;

/**
 * When a message comes back after it failed. A message that can be handled later (the store is down, the tagged
 * gateways are not known yet) is made invisible for exponentially longer, {@code recorder.intake.first-retry-delay}
 * doubling up to {@code max-retry-delay}, so that the queue's receives last through an outage (see
 * {@link OutageTolerance}). A malformed one never will be: it is made visible again at once and reaches the
 * dead-letter queue after its receives in seconds, not hours.
 */
@Component
public class IntakeErrorHandler implements AsyncErrorHandler<String> {

    private final AsyncErrorHandler<String> later;
    private final AsyncErrorHandler<String> now = new ImmediateRetryAsyncErrorHandler<>();

    IntakeErrorHandler(RecorderProperties properties) {
        RecorderProperties.Intake intake = properties.intake();
        this.later = ExponentialBackoffErrorHandler.<String>builder()
                .initialVisibilityTimeoutSeconds((int) intake.firstRetryDelay().toSeconds())
                .multiplier(2)
                .maxVisibilityTimeoutSeconds((int) intake.maxRetryDelay().toSeconds())
                .build();
    }

    @Override
    public CompletableFuture<Void> handle(Message<String> message, Throwable t) {
        return (malformed(t) ? now : later).handle(message, t);
    }

    private static boolean malformed(@Nullable Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (cause instanceof MalformedEventException) {
                return true;
            }
        }
        return false;
    }
}
