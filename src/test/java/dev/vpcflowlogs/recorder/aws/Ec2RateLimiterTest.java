package dev.vpcflowlogs.recorder.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.config.RecorderProperties.Ec2Limits;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Every attempt waits for a token of its own action's bucket, as EC2 throttles. */
class Ec2RateLimiterTest {

    @Test
    void callsPastTheBucketAreSpacedByItsRefillAndEachActionHasItsOwnBucket() {
        try (AwsStandIn aws = AwsStandIn.start().natGateway("nat-0a1b2c3d4e5f60718", "eni-a");
                Ec2Client ec2 = Ec2Client.builder()
                        .endpointOverride(aws.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                        .overrideConfiguration(
                                o -> o.addExecutionInterceptor(new Ec2RateLimiter(new Ec2Limits(true, 50, 5, 2, 4))))
                        .build()) {
            for (int i = 0; i < 6; i++) {
                ec2.describeNatGateways(r -> r.natGatewayIds("nat-0a1b2c3d4e5f60718"));
            }
            ec2.deleteFlowLogs(r -> r.flowLogIds("fl-1"));

            List<AwsStandIn.Call> describes = aws.calls("DescribeNatGateways");
            // A bucket of 2 refilled at 4 a second: the 6th call comes at least 4 refills (about 1 s) after the 1st.
            assertThat(Duration.between(describes.get(0).at(), describes.get(5).at()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
            // The mutating bucket is another one: its first call does not wait for the describes' tokens.
            assertThat(aws.calls("DeleteFlowLogs")).hasSize(1);
        }
    }

    @Test
    void tellsHowLongTheNextCallOfAnActionWouldWaitOnceItsBucketIsEmpty() {
        try (AwsStandIn aws = AwsStandIn.start();
                Ec2Client ec2 = Ec2Client.builder()
                        .endpointOverride(aws.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                        .overrideConfiguration(
                                o -> o.addExecutionInterceptor(new Ec2RateLimiter(new Ec2Limits(true, 2, 1, 100, 20))))
                        .build()) {
            Ec2RateLimiter limiter = Ec2RateLimiter.of(ec2).orElseThrow();
            assertThat(limiter.untilAvailable("DeleteFlowLogs")).isZero();

            ec2.deleteFlowLogs(r -> r.flowLogIds("fl-1"));
            ec2.deleteFlowLogs(r -> r.flowLogIds("fl-2"));

            // A bucket of 2 refilled at 1 a second, emptied: the next call would wait up to a second.
            assertThat(limiter.untilAvailable("DeleteFlowLogs"))
                    .isPositive()
                    .isLessThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(limiter.untilAvailable("DescribeFlowLogs")).isZero();
        }
    }
}
