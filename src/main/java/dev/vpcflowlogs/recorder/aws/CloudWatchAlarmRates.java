package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.RecorderProperties.CloudWatchLimits;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * CloudWatch limits its alarm actions per account and region to a few calls a second ("CloudWatch service quotas":
 * PutMetricAlarm 3, DescribeAlarms 9, DeleteAlarms 3) and answers the rest with Throttling. One client serves one
 * account and region, so this keeps its calls under them: every attempt (the SDK's retries included) waits for its
 * turn, one at a time, evenly spaced, so that a thousand new alarms take five and a half minutes, not a storm of
 * retries. Other CloudWatch actions pass untouched.
 */
final class CloudWatchAlarmRates implements ExecutionInterceptor {

    private final Map<String, Bucket> buckets;

    CloudWatchAlarmRates(CloudWatchLimits limits) {
        this.buckets = Map.of(
                "PutMetricAlarm", evenly(limits.putMetricAlarmPerSecond()),
                "DescribeAlarms", evenly(limits.describeAlarmsPerSecond()),
                "DeleteAlarms", evenly(CloudWatchLimits.DELETE_ALARMS_PER_SECOND));
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Bucket bucket = buckets.get(operation);
        if (bucket == null) {
            return;
        }
        try {
            bucket.asBlocking().consume(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AbortedException.builder()
                    .message("interrupted while waiting for CloudWatch's rate limit for " + operation)
                    .build();
        }
    }

    /**
     * No burst: AWS documents none, and a bucket one call deep can never run ahead of CloudWatch's, however their
     * seconds line up.
     */
    private static Bucket evenly(int perSecond) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(1)
                        .refillGreedy(1, Duration.ofNanos(1_000_000_000L / perSecond))
                        .build())
                .build();
    }
}
