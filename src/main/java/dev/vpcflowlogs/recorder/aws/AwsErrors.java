package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.recording.ProviderException;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Translates SDK failures into {@link ProviderException}s and counts them in {@code recorder.aws.errors}. */
@Component
class AwsErrors {

    private final MeterRegistry meters;

    AwsErrors(MeterRegistry meters) {
        this.meters = meters;
    }

    ProviderException translate(String operation, SdkException e) {
        String code;
        String message;
        boolean retryable;
        if (e instanceof AwsServiceException service) {
            code = service.awsErrorDetails() == null
                            || service.awsErrorDetails().errorCode() == null
                    ? "HTTP" + service.statusCode()
                    : service.awsErrorDetails().errorCode();
            message = service.awsErrorDetails() == null
                    ? service.getMessage()
                    : service.awsErrorDetails().errorMessage();
            retryable = service.isThrottlingException() || service.statusCode() >= 500 || service.retryable();
        } else {
            code = e instanceof SdkClientException
                    ? "ClientError"
                    : e.getClass().getSimpleName();
            message = e.getMessage();
            retryable = true;
        }
        count(operation, code);
        return new ProviderException(operation, code, message, retryable, e);
    }

    void count(String operation, String code) {
        meters.counter("recorder.aws.errors", "operation", operation, "code", code)
                .increment();
    }
}
