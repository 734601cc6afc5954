package dev.vpcflowlogs.recorder.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.report.LogGroupVolume.Volume;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** What a log group received, and its class, over the real CloudWatch (CBOR) and CloudWatch Logs protocols. */
class CloudWatchLogGroupVolumeTest {

    static final String GROUP = "/vpc-flowlogs-recorder/recordings";

    AwsStandIn aws;
    CloudWatchLogsClient logs;
    CloudWatchClient cloudWatch;
    CloudWatchLogGroupVolume volumes;

    @BeforeEach
    void setUp() {
        aws = AwsStandIn.start();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s"));
        logs = CloudWatchLogsClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .build();
        cloudWatch = CloudWatchClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .build();
        volumes = new CloudWatchLogGroupVolume(
                AwsClients.ofHome(TestProperties.defaults(), TestProperties.places(), null, logs, cloudWatch),
                new AwsErrors(new SimpleMeterRegistry()));
    }

    @AfterEach
    void tearDown() {
        logs.close();
        cloudWatch.close();
        aws.close();
    }

    @Test
    void sumsWhatEveryStreamOfTheGroupReceivedInTheWindowAndAsksItsClassOnce() {
        Instant from = Instant.now().minusSeconds(600);
        long inside = from.plusSeconds(120).toEpochMilli();
        aws.logGroupOfClass(GROUP, "INFREQUENT_ACCESS");
        aws.flowLogRecords(GROUP, "eni-a", inside, List.of("12345", "678"));
        aws.flowLogRecords(GROUP, "eni-b", inside + 60_000, List.of("9"));
        aws.flowLogRecords(GROUP, "eni-b", from.minusSeconds(3600).toEpochMilli(), List.of("long before"));

        Volume first = volumes.of(TestProperties.HOME, GROUP, from, Instant.now());
        Volume second = volumes.of(TestProperties.HOME, GROUP, from, Instant.now());

        assertThat(first).isEqualTo(new Volume("INFREQUENT_ACCESS", 3L, 9L));
        assertThat(second).isEqualTo(first);
        // A class never changes after creation: one DescribeLogGroups for both.
        assertThat(aws.calls("DescribeLogGroups")).hasSize(1);
    }
}
