package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.report.engine.FlowRecords;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.FlowLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regional NAT gateways ({@code AvailabilityMode regional}): recorded with one flow log on the gateway itself, their
 * records read wherever CloudWatch Logs names their streams, beside zonal gateways, through discovery, preflight,
 * alarms and the reconciler.
 */
class RegionalIT extends EndToEndSupport {

    static final String REGIONAL = "nat-0feedfacecafe0001";
    static final String ENI_A = "eni-0a00000000000000a";
    static final String ENI_B = "eni-0b00000000000000b";

    @Override
    AwsStandIn standIn() {
        return AwsStandIn.start()
                .natGateway(SAMPLE_GATEWAY, ENI_A, ENI_B)
                .regionalNatGateway(REGIONAL, "us-east-1a", "us-east-1b");
    }

    RecorderHarness watchingTheRegionalGateway() {
        return recorder.with("recorder.nat-gateways[0].id", REGIONAL);
    }

    List<FlowLog> regionalFlowLogs() {
        return aws.flowLogs().stream()
                .filter(f -> f.resourceType().equals("RegionalNatGateway"))
                .toList();
    }

    /** A zone's records: AWS does not document the stream's name, so each test names it one way. */
    void deliver(String stream, String natAddress, String client, String remote, long bytes) {
        FlowRecords zone = FlowRecords.regionalZone(FlowRecords.ORIGINAL, natAddress, REGIONAL, "use1-az1");
        aws.flowLogRecordsInStream(
                RecorderHarness.LOG_GROUP,
                stream,
                System.currentTimeMillis(),
                zone.exchange(client, remote, 443, 1_000, bytes, null));
    }

    @Test
    void anAlarmRecordsOneFlowLogOnTheGatewayAndItsOkDeletesItAfterTheTailWithAReport() {
        watchingTheRegionalGateway().start();

        recorder.send(Events.alarm(REGIONAL, Instant.now()));

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 1);
        FlowLog flowLog = aws.flowLogs().get(0);
        assertThat(flowLog.resourceType()).isEqualTo("RegionalNatGateway");
        assertThat(flowLog.resourceId()).isEqualTo(REGIONAL);
        assertThat(flowLog.tags())
                .containsEntry("managed-by", "vpc-flowlogs-recorder")
                .containsEntry("nat-gateway-id", REGIONAL)
                .containsKeys("recording-id", "expires-at");
        assertThat(aws.calls("CreateFlowLogs").stream().filter(c -> !c.dryRun()))
                .singleElement()
                .satisfies(call -> assertThat(call.params())
                        .containsEntry("ResourceType", "RegionalNatGateway")
                        .containsEntry("ResourceId.1", REGIONAL)
                        .doesNotContainKey("ResourceId.2")
                        .containsKey("ClientToken"));
        // Two zones, each translating with its own address, in streams named after the gateway.
        deliver(REGIONAL + "-use1-az1", "10.0.1.250", "10.0.1.5", "52.216.8.1", 900_000_000);
        deliver(REGIONAL + "-use1-az2", "10.0.2.250", "10.0.2.9", "198.51.100.4", 100_000_000);

        Instant ok = Instant.now();
        recorder.send(Events.ok(REGIONAL, ok));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(aws.flowLogs()).isEmpty();
        assertThat(aws.calls("DeleteFlowLogs")).singleElement().satisfies(call -> assertThat(call.at())
                .isAfterOrEqualTo(ok.plusSeconds(2)));
        String message = aws.published().get(0).message();
        assertThat(message)
                .containsPattern("Recorded on +the regional gateway itself")
                .containsPattern("10\\.0\\.1\\.5 +-> 52\\.216\\.8\\.1:443 TCP")
                .contains("10.0.2.9")
                .doesNotContain("10.0.1.250 ", "10.0.2.250 ", "Nothing from")
                .contains("@logStream like /^(" + REGIONAL + "|" + flowLog.flowLogId() + ")/");
        assertThat(recorder.count("recorder.reports", "status", "complete")).isEqualTo(1);
    }

    @Test
    void recordsDeliveredUnderTheFlowLogsOwnIdAreReadToo() {
        watchingTheRegionalGateway().start();
        recorder.send(Events.alarm(REGIONAL, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 1);
        String flowLogId = aws.flowLogs().get(0).flowLogId();

        deliver(flowLogId + "-use1-az1", "10.0.1.250", "10.0.1.77", "203.0.113.50", 500_000_000);
        recorder.send(Events.ok(REGIONAL, Instant.now()));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).message())
                .containsPattern("10\\.0\\.1\\.77 +-> 203\\.0\\.113\\.50:443 TCP")
                .doesNotContain("Nothing from");
    }

    @Test
    void aRegionalGatewayThatDeliversNothingIsNamedAfterTheSecondLook() {
        watchingTheRegionalGateway().start();
        recorder.send(Events.alarm(REGIONAL, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 1);
        recorder.send(Events.ok(REGIONAL, Instant.now()));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).message())
                .containsPattern("Nothing from +" + REGIONAL + " \\(no log stream\\)")
                .containsPattern("Suspicious +" + REGIONAL + " delivered nothing");
    }

    @Test
    void aZonalAndARegionalGatewayAreRecordedSideBySide() {
        recorder.with("recorder.nat-gateways[1].id", REGIONAL).start();

        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        recorder.send(Events.alarm(REGIONAL, Instant.now()));

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 3);
        assertThat(aws.flowLogs())
                .extracting(FlowLog::resourceType, FlowLog::resourceId)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("NetworkInterface", ENI_A),
                        org.assertj.core.groups.Tuple.tuple("NetworkInterface", ENI_B),
                        org.assertj.core.groups.Tuple.tuple("RegionalNatGateway", REGIONAL));
        aws.flowLogRecords(
                RecorderHarness.LOG_GROUP,
                ENI_A,
                System.currentTimeMillis(),
                new FlowRecords(FlowRecords.ORIGINAL)
                        .exchange("10.0.5.5", "192.0.2.10", 443, 1_000, 300_000_000, null));
        deliver(REGIONAL + "-use1-az1", "10.0.1.250", "10.0.1.5", "52.216.8.1", 900_000_000);

        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));
        recorder.send(Events.ok(REGIONAL, Instant.now()));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 2);
        assertThat(aws.flowLogs()).isEmpty();
        Map<String, String> bySubject = aws.published().stream()
                .collect(java.util.stream.Collectors.toMap(
                        p -> p.subject().contains(REGIONAL) ? REGIONAL : SAMPLE_GATEWAY,
                        AwsStandIn.Published::message));
        assertThat(bySubject.get(SAMPLE_GATEWAY))
                .containsPattern("Interfaces +" + ENI_A + ", " + ENI_B)
                .containsPattern("10\\.0\\.5\\.5 +-> 192\\.0\\.2\\.10:443 TCP")
                .doesNotContain("52.216.8.1");
        assertThat(bySubject.get(REGIONAL))
                .containsPattern("Recorded on +the regional gateway itself")
                .containsPattern("10\\.0\\.1\\.5 +-> 52\\.216\\.8\\.1:443 TCP")
                .doesNotContain("192.0.2.10");
    }

    @Test
    void thePreflightTriesBothFormsOfCreateFlowLogsAsDryRuns() {
        recorder.with("recorder.nat-gateways[1].id", REGIONAL).start();

        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        recorder.get("/actuator/health/permissions").getValue().contains("\"status\":\"UP\""));
        assertThat(aws.dryRuns("CreateFlowLogs"))
                .extracting(call ->
                        call.params().get("ResourceType") + " " + call.params().get("ResourceId.1"))
                .contains("NetworkInterface " + ENI_A, "RegionalNatGateway " + REGIONAL);
        assertThat(aws.flowLogs()).isEmpty();
        assertThat(aws.calls().stream()
                        .filter(call ->
                                call.action().equals("DescribeNatGateways") && call.preflight() && !call.dryRun())
                        .map(call -> call.params().values()))
                .as("the preflight looks the watched gateways up together, one call for all")
                .isNotEmpty()
                .allSatisfy(values -> assertThat(values).contains(SAMPLE_GATEWAY, REGIONAL));

        aws.deny("CreateFlowLogs");
        assertThat(recorder.post("/actuator/preflight").getValue())
                .contains("\"status\":\"DOWN\"")
                .contains("ec2:CreateFlowLogs");
    }

    @Test
    void aRegionalGatewayFoundByTagIsRecordedAndItsFlowLogDeletedOnceItIsNoLongerTagged() {
        aws.natGatewayTags(REGIONAL, Map.of("team", "sre"));
        recorder.without("recorder.nat-gateways[0].id")
                .with("recorder.discovery.tags.team", "sre")
                .start();
        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.count("recorder.discovery.runs") >= 1);

        recorder.send(Events.alarm(REGIONAL, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> regionalFlowLogs().size() == 1);
        aws.natGatewayTags(REGIONAL, Map.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(aws.flowLogs()).isEmpty();
        assertThat(aws.published().get(0).subject()).contains(REGIONAL).contains("its gateway is no longer watched");
    }

    @Test
    void managedAlarmsWatchARegionalGatewayLikeAZonalOne() {
        recorder.with("recorder.nat-gateways[1].id", REGIONAL).start();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> aws.alarms().containsKey("vpc-flowlogs-recorder-" + REGIONAL)
                        && aws.alarms().containsKey("vpc-flowlogs-recorder-" + SAMPLE_GATEWAY));
        assertThat(String.valueOf(
                        aws.alarms().get("vpc-flowlogs-recorder-" + REGIONAL).settings()))
                .contains("NatGatewayId")
                .contains(REGIONAL);
    }

    @Test
    void aRegionalFlowLogLeftBehindIsDeletedOnceItsDeadlinePasses() {
        watchingTheRegionalGateway().start();
        Instant expiresAt = Instant.now().plusSeconds(3);
        String leaked = aws.regionalFlowLogWithTags(
                REGIONAL,
                RecorderHarness.LOG_GROUP,
                Map.of(
                        "managed-by",
                        "vpc-flowlogs-recorder",
                        "recording-id",
                        "lost-recording",
                        "nat-gateway-id",
                        REGIONAL,
                        "expires-at",
                        expiresAt.toString()));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.flowLogs().isEmpty());
        assertThat(aws.calls("DeleteFlowLogs"))
                .allSatisfy(c -> assertThat(c.at()).isAfter(expiresAt))
                .anySatisfy(c -> assertThat(c.params()).containsValue(leaked));
        assertThat(recorder.count("recorder.reconciler.deleted", "reason", "unknown-recording-expired"))
                .isEqualTo(1);
    }
}
