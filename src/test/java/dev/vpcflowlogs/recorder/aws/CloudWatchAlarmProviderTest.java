package dev.vpcflowlogs.recorder.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.recording.ProviderException;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import dev.vpcflowlogs.recorder.watch.AlarmDefinition;
import dev.vpcflowlogs.recorder.watch.AlarmDefinition.Query;
import dev.vpcflowlogs.recorder.watch.AlarmProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/** The recorder's alarms over CloudWatch's real wire protocol (Smithy RPC v2 CBOR), against the stand-in. */
class CloudWatchAlarmProviderTest {

    static final String PREFIX = "vpc-flowlogs-recorder-";

    AwsStandIn aws;
    CloudWatchClient cloudWatch;
    CloudWatchAlarmProvider alarms;

    @BeforeEach
    void setUp() {
        aws = AwsStandIn.start();
        cloudWatch = CloudWatchClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .build();
        alarms = new CloudWatchAlarmProvider(
                AwsClients.ofHome(TestProperties.defaults(), TestProperties.places(), null, null, cloudWatch),
                new AwsErrors(new SimpleMeterRegistry()));
    }

    @AfterEach
    void tearDown() {
        cloudWatch.close();
        aws.close();
    }

    static AlarmDefinition alarm(String gateway, double threshold, Map<String, String> tags) {
        return new AlarmDefinition(
                PREFIX + gateway,
                "managed",
                false,
                3,
                1,
                "GreaterThanOrEqualToThreshold",
                1.0,
                null,
                "missing",
                List.of(
                        new Query("e1", "IF(m1 > " + threshold + ", 1, 0)", null, null, null, null, true, "above"),
                        new Query("m1", null, "BytesInFromSource", gateway, 60, "Sum", false, null)),
                tags);
    }

    @Test
    void readsBackTheAlarmItWroteWithItsTags() {
        Map<String, String> tags = Map.of("managed-by", "vpc-flowlogs-recorder", "nat-gateway-id", "nat-1");
        AlarmDefinition written = alarm("nat-1", 100, tags);

        alarms.put(TestProperties.HOME, written);

        AlarmProvider.ExistingAlarm read =
                alarms.alarmsNamedFrom(TestProperties.HOME, PREFIX).get(0);
        assertThat(read.definition().sameSettingsAs(written)).isTrue();
        assertThat(read.definition().name()).isEqualTo(written.name());
        assertThat(alarms.tagsOf(TestProperties.HOME, read.arn())).isEqualTo(tags);
        assertThat(aws.alarms().get(PREFIX + "nat-1").settings())
                .containsEntry("ActionsEnabled", false)
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold");
    }

    @Test
    void anUpdateChangesTheSettingsAndKeepsTheTags() {
        Map<String, String> tags = Map.of("managed-by", "vpc-flowlogs-recorder");
        alarms.put(TestProperties.HOME, alarm("nat-1", 100, tags));

        alarms.put(TestProperties.HOME, alarm("nat-1", 200, Map.of()));

        AlarmProvider.ExistingAlarm read =
                alarms.alarmsNamedFrom(TestProperties.HOME, PREFIX).get(0);
        assertThat(read.definition().queries().get(0).expression()).isEqualTo("IF(m1 > 200.0, 1, 0)");
        assertThat(alarms.tagsOf(TestProperties.HOME, read.arn())).isEqualTo(tags);
    }

    @Test
    void listsEveryPageAndOnlyThePrefix() {
        // Made as fast as the stand-in takes them: the listing is what this test is about.
        aws.cloudWatchQuotas(false);
        IntStream.range(0, 120).forEach(i -> alarms.put(TestProperties.HOME, alarm("nat-" + i, 1, Map.of())));
        aws.foreignAlarm("someone-elses-alarm", Map.of());
        aws.cloudWatchQuotas(true);

        assertThat(alarms.alarmsNamedFrom(TestProperties.HOME, PREFIX)).hasSize(120);
    }

    @Test
    void deletesInBatchesOfAHundred() {
        aws.cloudWatchQuotas(false);
        List<String> names = IntStream.range(0, 150)
                .mapToObj(i -> {
                    alarms.put(TestProperties.HOME, alarm("nat-" + i, 1, Map.of()));
                    return PREFIX + "nat-" + i;
                })
                .toList();
        aws.cloudWatchQuotas(true);

        alarms.delete(TestProperties.HOME, names);

        assertThat(aws.alarms()).isEmpty();
        assertThat(aws.calls("DeleteAlarms")).hasSize(2);
    }

    @Test
    void anAlarmAlreadyGoneDoesNotKeepTheOthersFromBeingDeleted() {
        alarms.put(TestProperties.HOME, alarm("nat-1", 1, Map.of()));
        alarms.put(TestProperties.HOME, alarm("nat-2", 1, Map.of()));

        alarms.delete(TestProperties.HOME, List.of(PREFIX + "nat-1", PREFIX + "nat-gone", PREFIX + "nat-2"));

        assertThat(aws.alarms()).isEmpty();
        assertThat(aws.calls("DeleteAlarms")).hasSize(1);
    }

    @Test
    void aClientWithTheRecordersRatesMakesAlarmsWithinCloudWatchsQuotas() {
        try (CloudWatchClient limited = CloudWatchClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(
                        new CloudWatchAlarmRates(TestProperties.defaults().aws().cloudwatch())))
                .build()) {
            CloudWatchAlarmProvider provider = new CloudWatchAlarmProvider(
                    AwsClients.ofHome(TestProperties.defaults(), TestProperties.places(), null, null, limited),
                    new AwsErrors(new SimpleMeterRegistry()));
            List<String> names = IntStream.range(0, 8)
                    .mapToObj(i -> {
                        provider.put(TestProperties.HOME, alarm("nat-" + i, 1, Map.of()));
                        return PREFIX + "nat-" + i;
                    })
                    .toList();
            IntStream.range(0, 12).forEach(i -> provider.alarmsNamedFrom(TestProperties.HOME, PREFIX));
            names.forEach(n -> provider.delete(TestProperties.HOME, List.of(n)));

            assertThat(aws.alarms()).isEmpty();
            assertThat(aws.cloudWatchThrottled())
                    .as(
                            "calls CloudWatch would have throttled (PutMetricAlarm 3/s, DescribeAlarms 9/s, DeleteAlarms 3/s)")
                    .isZero();
        }
    }

    @Test
    void withoutThemAnAlarmBurstIsThrottledAsCloudWatchWouldThrottleIt() {
        IntStream.range(0, 8).forEach(i -> alarms.put(TestProperties.HOME, alarm("nat-" + i, 1, Map.of())));

        assertThat(aws.alarms()).hasSize(8);
        assertThat(aws.cloudWatchThrottled())
                .as("the SDK's retries made them all, after CloudWatch's Throttling")
                .isPositive();
    }

    @Test
    void aMissingPermissionIsAnErrorNamingAwsCode() {
        aws.deny("PutMetricAlarm");

        assertThatThrownBy(() -> alarms.put(TestProperties.HOME, alarm("nat-1", 1, Map.of())))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo("AccessDenied"));
    }
}
