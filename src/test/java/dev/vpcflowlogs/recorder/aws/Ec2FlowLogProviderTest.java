package dev.vpcflowlogs.recorder.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.recording.DeliveryFailure;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.CreatedFlowLogs;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.FlowLogRequest;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.Target;
import dev.vpcflowlogs.recorder.recording.GatewayMode;
import dev.vpcflowlogs.recorder.recording.ProviderException;
import dev.vpcflowlogs.recorder.recording.ResourceFailure;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** The EC2 adapter against the stand-in, over the real EC2 query protocol. */
class Ec2FlowLogProviderTest {

    static final String GW = TestProperties.GATEWAY;
    static final String REGIONAL = "nat-0feedfacecafe0001";
    static final Instant EXPIRES = Instant.parse("2026-11-20T09:30:00Z");

    AwsStandIn aws;
    Ec2Client ec2;
    SimpleMeterRegistry meters;
    Ec2FlowLogProvider provider;

    @BeforeEach
    void setUp() {
        aws = AwsStandIn.start().natGateway(GW, "eni-b", "eni-a", "eni-b");
        ec2 = Ec2Client.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .build())
                .build();
        meters = new SimpleMeterRegistry();
        provider = new Ec2FlowLogProvider(
                AwsClients.ofHome(TestProperties.defaults(), TestProperties.places(), ec2, null, null),
                TestProperties.places(),
                TestProperties.defaults(),
                new AwsErrors(meters));
    }

    @AfterEach
    void tearDown() {
        provider.stopBatching();
        ec2.close();
        aws.close();
    }

    @Test
    void listsEachInterfaceOfAGatewayOnceInOrder() {
        assertThat(provider.targetOf(TestProperties.HOME, GW))
                .isEqualTo(new Target(GatewayMode.ZONAL, List.of("eni-a", "eni-b")));
    }

    @Test
    void aRegionalGatewayIsRecordedOnItselfWithOneFlowLog() {
        aws.regionalNatGateway(REGIONAL, "eu-west-1a", "eu-west-1b", "eu-west-1c");

        Target target = provider.targetOf(TestProperties.HOME, REGIONAL);
        CreatedFlowLogs created = provider.create(
                TestProperties.HOME,
                new FlowLogRequest("rec-r", REGIONAL, target.mode(), target.resourceIds(), EXPIRES));

        assertThat(target).isEqualTo(new Target(GatewayMode.REGIONAL, List.of(REGIONAL)));
        assertThat(created.failures()).isEmpty();
        assertThat(aws.flowLogs()).singleElement().satisfies(f -> {
            assertThat(f.resourceType()).isEqualTo("RegionalNatGateway");
            assertThat(f.resourceId()).isEqualTo(REGIONAL);
            assertThat(f.tags())
                    .containsEntry("managed-by", "vpc-flowlogs-recorder")
                    .containsEntry("recording-id", "rec-r")
                    .containsEntry("nat-gateway-id", REGIONAL);
        });
        assertThat(aws.calls("CreateFlowLogs")).singleElement().satisfies(call -> assertThat(call.params())
                .containsEntry("ResourceType", "RegionalNatGateway")
                .containsEntry("ResourceId.1", REGIONAL)
                .containsEntry("ClientToken", "vfr-rec-r"));
    }

    @Test
    void ec2RefusesTheRegionalFormForAZonalGateway() {
        assertThatThrownBy(() -> provider.create(
                        TestProperties.HOME,
                        new FlowLogRequest("rec-1", GW, GatewayMode.REGIONAL, List.of(GW), EXPIRES)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidParameterValue");
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(aws.flowLogs()).isEmpty();
    }

    @Test
    void aGatewayThatDoesNotExistIsAPermanentFailure() {
        assertThatThrownBy(() -> provider.targetOf(TestProperties.HOME, "nat-0000000000000000f"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.code()).isEqualTo("NatGatewayNotFound");
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(meters.find("recorder.aws.errors")
                        .tags("operation", "DescribeNatGateways", "code", "NatGatewayNotFound", "region", "us-east-1")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aDeletedGatewayIsAPermanentFailure() {
        aws.natGatewayState(GW, "deleted");
        assertThatThrownBy(() -> provider.targetOf(TestProperties.HOME, GW))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo("NatGatewayNotAvailable"));
    }

    @Test
    void aRepeatedCreateOfTheSameRecordingReturnsTheSameFlowLogs() {
        FlowLogRequest request = new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-b"), EXPIRES);

        CreatedFlowLogs first = provider.create(TestProperties.HOME, request);
        CreatedFlowLogs again = provider.create(TestProperties.HOME, request);

        assertThat(first.flowLogIds()).hasSize(2);
        assertThat(again.flowLogIds()).isEqualTo(first.flowLogIds());
        assertThat(aws.flowLogs()).hasSize(2);
        assertThat(aws.flowLogs().get(0).tags())
                .containsEntry("managed-by", "vpc-flowlogs-recorder")
                .containsEntry("recording-id", "rec-1")
                .containsEntry("nat-gateway-id", GW)
                .containsEntry("expires-at", "2026-11-20T09:30:00Z");
    }

    @Test
    void aRetryAfterARestartRepeatsTheFirstCreateToTheLetter() {
        Instant inMemory = Instant.parse("2026-11-20T09:30:00.123456789Z");
        Instant readBack = Instant.parse("2026-11-20T09:30:00.123456Z");

        CreatedFlowLogs first = provider.create(
                TestProperties.HOME, new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a"), inMemory));
        CreatedFlowLogs again = provider.create(
                TestProperties.HOME, new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a"), readBack));

        assertThat(again.flowLogIds()).isEqualTo(first.flowLogIds());
        assertThat(aws.flowLogs()).singleElement().satisfies(f -> assertThat(f.tags())
                .containsEntry("expires-at", "2026-11-20T09:30:00Z"));
    }

    @Test
    void unsuccessfulInterfacesAreReturnedWithTheirCodes() {
        CreatedFlowLogs created = provider.create(
                TestProperties.HOME,
                new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-gone"), EXPIRES));

        assertThat(created.flowLogIds()).hasSize(1);
        assertThat(created.failures())
                .extracting(ResourceFailure::resourceId, ResourceFailure::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("eni-gone", "InvalidNetworkInterfaceID.NotFound"));
    }

    @Test
    void aWholeCallFlowLogAlreadyExistsFailsEveryInterface() {
        aws.failNext("CreateFlowLogs", 1, 400, "FlowLogAlreadyExists");

        CreatedFlowLogs created = provider.create(
                TestProperties.HOME,
                new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-b"), EXPIRES));

        assertThat(created.flowLogIds()).isEmpty();
        assertThat(created.failures()).extracting(ResourceFailure::code).containsOnly("FlowLogAlreadyExists");
    }

    @Test
    void throttlingBeyondTheSdkRetriesIsRetryable() {
        aws.failNext("CreateFlowLogs", 3, 503, "RequestLimitExceeded");

        assertThatThrownBy(() -> provider.create(
                        TestProperties.HOME,
                        new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a"), EXPIRES)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.code()).isEqualTo("RequestLimitExceeded");
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(aws.calls("CreateFlowLogs")).hasSize(3);
    }

    @Test
    void aRefusedRoleIsAPermanentFailure() {
        aws.failNext("CreateFlowLogs", 1, 400, "InvalidParameter");

        assertThatThrownBy(() -> provider.create(
                        TestProperties.HOME,
                        new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a"), EXPIRES)))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.retryable()).isFalse());
    }

    @Test
    void deletingFlowLogsThatAreAlreadyGoneSucceeds() {
        List<String> ids = provider.create(
                        TestProperties.HOME,
                        new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-b"), EXPIRES))
                .flowLogIds();
        provider.delete(TestProperties.HOME, List.of(ids.get(0)));

        provider.delete(TestProperties.HOME, ids);

        assertThat(aws.flowLogs()).isEmpty();
    }

    @Test
    void aWholeCallNotFoundStillDeletesTheFlowLogsThatExist() {
        List<String> ids = provider.create(
                        TestProperties.HOME,
                        new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-b"), EXPIRES))
                .flowLogIds();
        aws.failNext("DeleteFlowLogs", 1, 400, "InvalidFlowLogId.NotFound");

        provider.delete(TestProperties.HOME, ids);

        assertThat(aws.flowLogs()).isEmpty();
    }

    @Test
    void recordingsStoppingTogetherShareDeleteCalls() throws Exception {
        int recordings = 20;
        List<List<String>> owned = new java.util.ArrayList<>();
        for (int r = 0; r < recordings; r++) {
            owned.add(List.of(
                    aws.flowLogWithTags(
                            "eni-" + r + "a", "/g", java.util.Map.of("managed-by", "vpc-flowlogs-recorder")),
                    aws.flowLogWithTags(
                            "eni-" + r + "b", "/g", java.util.Map.of("managed-by", "vpc-flowlogs-recorder"))));
        }
        var start = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(recordings);
        List<java.util.concurrent.Future<?>> stops = new java.util.ArrayList<>();
        for (List<String> ids : owned) {
            stops.add(pool.submit(() -> {
                start.await();
                provider.delete(TestProperties.HOME, ids);
                return null;
            }));
        }
        start.countDown();
        for (var stop : stops) {
            stop.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(aws.flowLogs()).isEmpty();
        assertThat(aws.calls("DeleteFlowLogs").size()).isLessThan(recordings / 2);
    }

    @Test
    void aDeleteThatFailsOnTheServerIsRetryable() {
        aws.failNext("DeleteFlowLogs", 3, 500, "InternalError");

        assertThatThrownBy(() -> provider.delete(TestProperties.HOME, List.of("fl-1")))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void namesTheFlowLogsThatDoNotDeliverWithAwsMessage() {
        List<String> ids = provider.create(
                        TestProperties.HOME,
                        new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-b"), EXPIRES))
                .flowLogIds();
        aws.deliveryFails(ids.get(1), "Access error");

        assertThat(provider.deliveryFailures(TestProperties.HOME, ids))
                .containsExactly(new DeliveryFailure(ids.get(1), "eni-b", "Access error"));
    }

    @Test
    void aFlowLogEc2DoesNotListYetIsNoDeliveryFailureAndNoError() {
        aws.visibilityDelay(java.time.Duration.ofMinutes(1));
        List<String> ids = provider.create(
                        TestProperties.HOME,
                        new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a"), EXPIRES))
                .flowLogIds();
        aws.deliveryFails(ids.get(0), "Access error");

        assertThat(provider.deliveryFailures(TestProperties.HOME, ids)).isEmpty();
        assertThat(provider.managedFlowLogs(TestProperties.HOME)).isEmpty();
        assertThat(aws.flowLogs()).hasSize(1);
    }
}
