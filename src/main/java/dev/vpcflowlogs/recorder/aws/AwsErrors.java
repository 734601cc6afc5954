package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.recording.ProviderException;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.model.StsException;

/** Translates SDK failures into {@link ProviderException}s and counts them in {@code recorder.aws.errors}. */
@Component
class AwsErrors {

    private final MeterRegistry meters;

    AwsErrors(MeterRegistry meters) {
        this.meters = meters;
    }

    ProviderException translate(String operation, SdkException e) {
        return translate(null, operation, e);
    }

    /**
     * A failure of a call made in {@code place}, counted with its account and region. The role of another account
     * that cannot be assumed (STS refuses, or cannot be reached) is worth another attempt: it may be granted, and
     * the other accounts never wait for it.
     */
    ProviderException translate(@Nullable Place place, String operation, SdkException e) {
        String code = codeOf(e);
        String message;
        boolean retryable;
        if (e instanceof StsException sts && place != null && !place.home()) {
            code = "AssumeRole:" + code;
            message = "the recorder's role in account " + place.account() + " cannot be assumed: "
                    + (sts.awsErrorDetails() == null
                            ? sts.getMessage()
                            : sts.awsErrorDetails().errorMessage());
            retryable = true;
        } else if (e instanceof AwsServiceException service) {
            message = service.awsErrorDetails() == null
                    ? service.getMessage()
                    : service.awsErrorDetails().errorMessage();
            retryable = service.isThrottlingException() || service.statusCode() >= 500 || service.retryable();
        } else {
            message = e.getMessage();
            retryable = true;
        }
        count(place, operation, code);
        return new ProviderException(operation, code, message, retryable, e);
    }

    /** AWS's error code, or what failed on this side of the wire. */
    static String codeOf(SdkException e) {
        if (e instanceof AwsServiceException service) {
            return service.awsErrorDetails() == null
                            || service.awsErrorDetails().errorCode() == null
                    ? "HTTP" + service.statusCode()
                    : service.awsErrorDetails().errorCode();
        }
        return e instanceof SdkClientException ? "ClientError" : e.getClass().getSimpleName();
    }

    void count(String operation, String code) {
        count(null, operation, code);
    }

    void count(@Nullable Place place, String operation, String code) {
        meters.counter(
                        "recorder.aws.errors",
                        "operation",
                        operation,
                        "code",
                        code,
                        "account",
                        place == null ? "own" : place.accountTag(),
                        "region",
                        place == null ? "-" : place.region())
                .increment();
    }
}
