package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.RecorderProperties.Ec2Limits;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * EC2 throttles each API action with its own token bucket. This keeps the recorder under them on its side: every
 * attempt (the SDK's retries included) waits for a token of its action's bucket before it is sent.
 */
final class Ec2RateLimiter implements ExecutionInterceptor {

    private final Ec2Limits limits;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    Ec2RateLimiter(Ec2Limits limits) {
        this.limits = limits;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        try {
            buckets.computeIfAbsent(operation, this::bucket).asBlocking().consume(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AbortedException.builder()
                    .message("interrupted while waiting for EC2's rate limit for " + operation)
                    .build();
        }
    }

    /** How long a call of {@code operation} would wait for a token now (zero when one is there). */
    Duration untilAvailable(String operation) {
        return Duration.ofNanos(buckets.computeIfAbsent(operation, this::bucket)
                .estimateAbilityToConsume(1)
                .getNanosToWaitForRefill());
    }

    /** The limiter of this client, if it has one (the rate limit can be turned off). */
    static Optional<Ec2RateLimiter> of(Ec2Client ec2) {
        return ec2.serviceClientConfiguration().overrideConfiguration().executionInterceptors().stream()
                .filter(Ec2RateLimiter.class::isInstance)
                .map(Ec2RateLimiter.class::cast)
                .findFirst();
    }

    private Bucket bucket(String operation) {
        boolean describe = operation.startsWith("Describe");
        int capacity = describe ? limits.describeBucket() : limits.mutatingBucket();
        int perSecond = describe ? limits.describePerSecond() : limits.mutatingPerSecond();
        return Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(capacity)
                        .refillGreedy(perSecond, Duration.ofSeconds(1))
                        .build())
                .build();
    }
}
