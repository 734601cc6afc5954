package dev.vpcflowlogs.recorder.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.recording.DeliveryFailure;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.CreatedFlowLogs;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.FlowLogBatch;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.FlowLogRequest;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.LookUp;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.ManagedFlowLog;
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
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
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
    CloudWatchLogsClient logs;
    FlowLogDestination destination;

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
        logs = CloudWatchLogsClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .build();
        meters = new SimpleMeterRegistry();
        provider = provider(TestProperties.defaults(), TestProperties.places());
    }

    Ec2FlowLogProvider provider(
            dev.vpcflowlogs.recorder.config.RecorderProperties properties,
            dev.vpcflowlogs.recorder.config.Places places) {
        AwsClients clients = AwsClients.ofHome(properties, places, ec2, logs, null);
        AwsErrors errors = new AwsErrors(meters);
        destination = new FlowLogDestination(places, clients, properties, java.time.Clock.systemUTC(), errors);
        return new Ec2FlowLogProvider(clients, places, properties, errors, destination);
    }

    @AfterEach
    void tearDown() {
        provider.stopBatching();
        destination.stop();
        ec2.close();
        logs.close();
        aws.close();
    }

    /** One recording's flow logs, in a call of its own. */
    CreatedFlowLogs create(FlowLogRequest request) {
        return provider.create(TestProperties.HOME, new FlowLogBatch("vfr-" + request.recordingId(), List.of(request)))
                .get(request.recordingId());
    }

    /** One gateway looked up alone: its target, or its own failure thrown. */
    Target targetOf(String natGatewayId) {
        LookUp found =
                provider.targetsOf(TestProperties.HOME, List.of(natGatewayId)).get(natGatewayId);
        if (found.failure() != null) {
            throw found.failure();
        }
        return found.target();
    }

    String flowLogOn(String resourceId) {
        return aws.flowLogs().stream()
                .filter(f -> f.resourceId().equals(resourceId))
                .findFirst()
                .orElseThrow()
                .flowLogId();
    }

    @Test
    void listsEachInterfaceOfAGatewayOnceInOrder() {
        assertThat(targetOf(GW)).isEqualTo(new Target(GatewayMode.ZONAL, List.of("eni-a", "eni-b")));
    }

    @Test
    void aRegionalGatewayIsRecordedOnItselfWithOneFlowLog() {
        aws.regionalNatGateway(REGIONAL, "eu-west-1a", "eu-west-1b", "eu-west-1c");

        Target target = targetOf(REGIONAL);
        CreatedFlowLogs created =
                create(new FlowLogRequest("rec-r", REGIONAL, target.mode(), target.resourceIds(), EXPIRES));

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
        assertThatThrownBy(() -> create(new FlowLogRequest("rec-1", GW, GatewayMode.REGIONAL, List.of(GW), EXPIRES)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.code()).isEqualTo("InvalidParameterValue");
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(aws.flowLogs()).isEmpty();
    }

    @Test
    void aGatewayThatDoesNotExistIsAPermanentFailure() {
        assertThatThrownBy(() -> targetOf("nat-0000000000000000f"))
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
        assertThatThrownBy(() -> targetOf(GW)).isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.code())
                .isEqualTo("NatGatewayNotAvailable"));
    }

    @Test
    void aRepeatedCreateOfTheSameRecordingReturnsTheSameFlowLogs() {
        FlowLogRequest request = new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-b"), EXPIRES);

        CreatedFlowLogs first = create(request);
        CreatedFlowLogs again = create(request);

        assertThat(first.flowLogIds()).hasSize(2);
        assertThat(again.flowLogIds()).containsExactlyInAnyOrderElementsOf(first.flowLogIds());
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

        CreatedFlowLogs first = create(new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a"), inMemory));
        CreatedFlowLogs again = create(new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a"), readBack));

        assertThat(again.flowLogIds()).containsExactlyInAnyOrderElementsOf(first.flowLogIds());
        assertThat(aws.flowLogs()).singleElement().satisfies(f -> assertThat(f.tags())
                .containsEntry("expires-at", "2026-11-20T09:30:00Z"));
    }

    @Test
    void version11TagFieldsGoWithTheTagKeysTheyShow() {
        var properties = TestProperties.withTagFields(
                "${interface-type} ${next-hop-interface-id} ${next-hop-interface-type} ${instance-tag}"
                        + " ${instance-tag-2} ${srcaddr} ${dstaddr} ${bytes}",
                java.util.Map.of("instance", List.of("team", "Name")));
        var places = new dev.vpcflowlogs.recorder.config.Places(properties, TestProperties.HOME.region());

        provider(properties, places)
                .create(
                        TestProperties.HOME,
                        new FlowLogBatch(
                                "vfr-rec-1",
                                List.of(new FlowLogRequest(
                                        "rec-1", GW, GatewayMode.ZONAL, List.of("eni-a"), Instant.now()))));

        assertThat(aws.flowLogs()).singleElement().satisfies(f -> assertThat(f.logFormat())
                .contains("${instance-tag-2}", "${next-hop-interface-type}"));
        assertThat(aws.calls("CreateFlowLogs")).singleElement().satisfies(call -> assertThat(call.params())
                .containsEntry("TagFieldSpecification.1.ResourceType", "instance")
                .containsEntry("TagFieldSpecification.1.TagKey.1", "team")
                .containsEntry("TagFieldSpecification.1.TagKey.2", "Name"));
    }

    /** The provider after a restart with another {@code recorder.flow-logs.log-format}. */
    Ec2FlowLogProvider withAnotherFormat() {
        var properties = TestProperties.withFormat(
                "${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${bytes}");
        var places = new dev.vpcflowlogs.recorder.config.Places(properties, TestProperties.HOME.region());
        return provider(properties, places);
    }

    @Test
    void aResendAfterTheSettingsChangedKeepsTheFlowLogsTheFirstCallMade() {
        FlowLogRequest request = new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-b"), EXPIRES);
        CreatedFlowLogs first = create(request);

        Ec2FlowLogProvider restarted = withAnotherFormat();
        try {
            CreatedFlowLogs again = restarted
                    .create(TestProperties.HOME, new FlowLogBatch("vfr-rec-1", List.of(request)))
                    .get("rec-1");

            assertThat(again.failures()).isEmpty();
            assertThat(again.flowLogIds()).containsExactlyInAnyOrderElementsOf(first.flowLogIds());
            assertThat(aws.flowLogs()).hasSize(2);
            assertThat(meters.counter(
                                    "recorder.aws.errors",
                                    "operation",
                                    "CreateFlowLogs",
                                    "code",
                                    "IdempotentParameterMismatch",
                                    "account",
                                    "own",
                                    "region",
                                    "us-east-1")
                            .count())
                    .isEqualTo(1);
        } finally {
            restarted.stopBatching();
        }
    }

    @Test
    void aResendAfterTheSettingsChangedWhoseFirstCallMadeNothingIsSentWithTheNewSettings() {
        // The first call's only interface did not exist then: EC2 kept the token, and made no flow log.
        FlowLogRequest gone = new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-later"), EXPIRES);
        assertThat(create(gone).flowLogIds()).isEmpty();
        aws.in(AwsStandIn.DEFAULT_ACCOUNT, "us-east-1", () -> aws.natGateway("nat-0later000000000001", "eni-later"));

        Ec2FlowLogProvider restarted = withAnotherFormat();
        try {
            CreatedFlowLogs again = restarted
                    .create(TestProperties.HOME, new FlowLogBatch("vfr-rec-1", List.of(gone)))
                    .get("rec-1");

            assertThat(again.flowLogIds()).hasSize(1);
            assertThat(aws.flowLogs()).singleElement().satisfies(f -> {
                assertThat(f.logFormat()).startsWith("${version} ${interface-id} ${srcaddr}");
                assertThat(f.tags()).containsEntry("batch", "vfr-rec-1");
            });
            // The new call is idempotent in turn: sent again, it answers the same flow log.
            assertThat(restarted
                            .create(TestProperties.HOME, new FlowLogBatch("vfr-rec-1", List.of(gone)))
                            .get("rec-1")
                            .flowLogIds())
                    .isEqualTo(again.flowLogIds());
        } finally {
            restarted.stopBatching();
        }
    }

    @Test
    void theFirstFlowLogInAPlaceFindsItsLogGroupMade() {
        // The background set-up of the groups has not reached this place yet (a thousand accounts take minutes).
        assertThat(aws.logGroups()).isEmpty();

        create(new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a"), EXPIRES));

        assertThat(aws.logGroups()).containsEntry("/vpc-flowlogs-recorder/recordings", 7);
        assertThat(aws.calls().stream().map(c -> c.action()).toList())
                .containsSubsequence("CreateLogGroup", "PutRetentionPolicy", "CreateFlowLogs");
        create(new FlowLogRequest("rec-2", GW, GatewayMode.ZONAL, List.of("eni-b"), EXPIRES));
        assertThat(aws.calls("DescribeLogGroups")).hasSize(1);
    }

    @Test
    void unsuccessfulInterfacesAreReturnedWithTheirCodes() {
        CreatedFlowLogs created =
                create(new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-gone"), EXPIRES));

        assertThat(created.flowLogIds()).hasSize(1);
        assertThat(created.failures())
                .extracting(ResourceFailure::resourceId, ResourceFailure::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("eni-gone", "InvalidNetworkInterfaceID.NotFound"));
    }

    @Test
    void aWholeCallFlowLogAlreadyExistsFailsEveryInterface() {
        aws.failNext("CreateFlowLogs", 1, 400, "FlowLogAlreadyExists");

        CreatedFlowLogs created =
                create(new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-b"), EXPIRES));

        assertThat(created.flowLogIds()).isEmpty();
        assertThat(created.failures()).extracting(ResourceFailure::code).containsOnly("FlowLogAlreadyExists");
    }

    @Test
    void throttlingBeyondTheSdkRetriesIsRetryable() {
        aws.failNext("CreateFlowLogs", 3, 503, "RequestLimitExceeded");

        assertThatThrownBy(() -> create(new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a"), EXPIRES)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.code()).isEqualTo("RequestLimitExceeded");
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(aws.calls("CreateFlowLogs")).hasSize(3);
    }

    @Test
    void aRefusedRoleIsAPermanentFailure() {
        aws.failNext("CreateFlowLogs", 1, 400, "InvalidParameter");

        assertThatThrownBy(() -> create(new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a"), EXPIRES)))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.retryable()).isFalse());
    }

    @Test
    void deletingFlowLogsThatAreAlreadyGoneSucceeds() {
        List<String> ids = create(
                        new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-b"), EXPIRES))
                .flowLogIds();
        provider.delete(TestProperties.HOME, List.of(ids.get(0)));

        provider.delete(TestProperties.HOME, ids);

        assertThat(aws.flowLogs()).isEmpty();
    }

    @Test
    void aWholeCallNotFoundStillDeletesTheFlowLogsThatExist() {
        List<String> ids = create(
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
        List<String> ids = create(
                        new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-b"), EXPIRES))
                .flowLogIds();
        aws.deliveryFails(flowLogOn("eni-b"), "Access error");

        assertThat(provider.deliveryFailures(TestProperties.HOME, ids))
                .containsExactly(new DeliveryFailure(flowLogOn("eni-b"), "eni-b", "Access error"));
    }

    @Test
    void checksTheDeliveryOfMoreFlowLogsThanOneCallsFiltersTake() {
        String[] enis = java.util.stream.IntStream.range(0, 250)
                .mapToObj(i -> String.format("eni-%017x", i + 1))
                .toArray(String[]::new);
        aws.natGateway(REGIONAL.replace("0001", "0002"), enis);
        List<String> ids = create(new FlowLogRequest(
                        "rec-many", REGIONAL.replace("0001", "0002"), GatewayMode.ZONAL, List.of(enis), EXPIRES))
                .flowLogIds();
        aws.deliveryFails(flowLogOn(enis[7]), "Access error");
        aws.deliveryFails(flowLogOn(enis[249]), "Access error");

        // 250 ids in calls of at most 199 beside the one value of deliver-log-status
        assertThat(provider.deliveryFailures(TestProperties.HOME, ids))
                .containsExactlyInAnyOrder(
                        new DeliveryFailure(flowLogOn(enis[7]), enis[7], "Access error"),
                        new DeliveryFailure(flowLogOn(enis[249]), enis[249], "Access error"));
        assertThat(aws.calls("DescribeFlowLogs").stream().filter(c -> c.params().containsValue("deliver-log-status")))
                .hasSize(2);
    }

    @Test
    void aFlowLogEc2DoesNotListYetIsNoDeliveryFailureAndNoError() {
        aws.visibilityDelay(java.time.Duration.ofMinutes(1));
        List<String> ids = create(new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a"), EXPIRES))
                .flowLogIds();
        aws.deliveryFails(ids.get(0), "Access error");

        assertThat(provider.deliveryFailures(TestProperties.HOME, ids)).isEmpty();
        assertThat(provider.managedFlowLogs(TestProperties.HOME)).isEmpty();
        assertThat(aws.flowLogs()).hasSize(1);
    }

    @Test
    void recordingsStartingTogetherShareOneCallAndEachGetsTheFlowLogsOfItsOwnInterfaces() {
        aws.natGateway("nat-0000000000000000b", "eni-c", "eni-d").natGateway("nat-0000000000000000c", "eni-e");
        FlowLogBatch batch = new FlowLogBatch(
                "vfr-b-1",
                List.of(
                        new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-b"), EXPIRES),
                        new FlowLogRequest(
                                "rec-2",
                                "nat-0000000000000000b",
                                GatewayMode.ZONAL,
                                List.of("eni-c", "eni-d"),
                                EXPIRES.plusSeconds(60)),
                        new FlowLogRequest(
                                "rec-3", "nat-0000000000000000c", GatewayMode.ZONAL, List.of("eni-e"), EXPIRES)));

        var shares = provider.create(TestProperties.HOME, batch);

        assertThat(aws.calls("CreateFlowLogs")).hasSize(1);
        assertThat(shares.get("rec-1").flowLogIds()).containsExactlyInAnyOrder(flowLogOn("eni-a"), flowLogOn("eni-b"));
        assertThat(shares.get("rec-2").flowLogIds()).containsExactlyInAnyOrder(flowLogOn("eni-c"), flowLogOn("eni-d"));
        assertThat(shares.get("rec-3").flowLogIds()).containsExactly(flowLogOn("eni-e"));
        // The call's tags hold for every flow log: the batch, and the latest deadline of its members.
        assertThat(aws.flowLogs()).hasSize(5).allSatisfy(f -> assertThat(f.tags())
                .containsEntry("managed-by", "vpc-flowlogs-recorder")
                .containsEntry("batch", "vfr-b-1")
                .containsEntry("expires-at", "2026-11-20T09:31:00Z")
                .doesNotContainKey("recording-id"));
        assertThat(provider.managedFlowLogs(TestProperties.HOME))
                .extracting(ManagedFlowLog::batch)
                .containsOnly("vfr-b-1");
    }

    @Test
    void aSharedCallSentAgainAnswersTheSameFlowLogsToEachRecording() {
        aws.natGateway("nat-0000000000000000b", "eni-c");
        FlowLogBatch batch = new FlowLogBatch(
                "vfr-b-2",
                List.of(
                        new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-b"), EXPIRES),
                        new FlowLogRequest(
                                "rec-2", "nat-0000000000000000b", GatewayMode.ZONAL, List.of("eni-c"), EXPIRES)));

        var first = provider.create(TestProperties.HOME, batch);
        var again = provider.create(TestProperties.HOME, batch);

        assertThat(again.get("rec-1").flowLogIds())
                .containsExactlyInAnyOrderElementsOf(first.get("rec-1").flowLogIds());
        assertThat(again.get("rec-2").flowLogIds()).isEqualTo(first.get("rec-2").flowLogIds());
        assertThat(aws.flowLogsCreated()).isEqualTo(3);
    }

    @Test
    void aSharedCallWaitsForEc2ToListWhatItMade() {
        aws.natGateway("nat-0000000000000000b", "eni-c").visibilityDelay(java.time.Duration.ofMillis(700));
        FlowLogBatch batch = new FlowLogBatch(
                "vfr-b-3",
                List.of(
                        new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a"), EXPIRES),
                        new FlowLogRequest(
                                "rec-2", "nat-0000000000000000b", GatewayMode.ZONAL, List.of("eni-c"), EXPIRES)));

        var shares = provider.create(TestProperties.HOME, batch);

        assertThat(shares.get("rec-1").flowLogIds()).containsExactly(flowLogOn("eni-a"));
        assertThat(shares.get("rec-2").flowLogIds()).containsExactly(flowLogOn("eni-c"));
        assertThat(aws.calls("DescribeFlowLogs")).hasSizeGreaterThan(1);
    }

    @Test
    void aFailedInterfaceIsReportedToTheRecordingItBelongsTo() {
        aws.natGateway("nat-0000000000000000b", "eni-c");
        FlowLogBatch batch = new FlowLogBatch(
                "vfr-b-4",
                List.of(
                        new FlowLogRequest("rec-1", GW, GatewayMode.ZONAL, List.of("eni-a", "eni-gone"), EXPIRES),
                        new FlowLogRequest(
                                "rec-2", "nat-0000000000000000b", GatewayMode.ZONAL, List.of("eni-c"), EXPIRES)));

        var shares = provider.create(TestProperties.HOME, batch);

        assertThat(shares.get("rec-1").failures())
                .extracting(ResourceFailure::resourceId)
                .containsExactly("eni-gone");
        assertThat(shares.get("rec-1").flowLogIds()).containsExactly(flowLogOn("eni-a"));
        assertThat(shares.get("rec-2").failures()).isEmpty();
    }

    @Test
    void gatewaysLookedUpTogetherShareOneDescribeCallAndAMissingOneFailsAlone() {
        List<String> ids = new java.util.ArrayList<>();
        for (int g = 0; g < 250; g++) {
            ids.add(String.format("nat-%017d", g));
            aws.natGateway(ids.get(g), "eni-" + g);
        }
        ids.add("nat-0000000000000ffff");

        var found = provider.targetsOf(TestProperties.HOME, ids);

        assertThat(found.get("nat-00000000000000007").target())
                .isEqualTo(new Target(GatewayMode.ZONAL, List.of("eni-7")));
        assertThat(found.get("nat-00000000000000249").target())
                .isEqualTo(new Target(GatewayMode.ZONAL, List.of("eni-249")));
        assertThat(found.get("nat-0000000000000ffff").failure())
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo("NatGatewayNotFound"));
        // Up to 200 filter values a call: 251 gateways take two calls.
        assertThat(aws.calls("DescribeNatGateways")).hasSize(2);
    }
}
