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
 * The recorder against a stand-in as strict as AWS's documents: SNS's subject and size rules and refusals, log streams
 * that appear only once they deliver, flow logs that exist and deliver nothing, orphans after a lost store, and a
 * gateway busy with its previous stop.
 */
class AwsFidelityIT extends EndToEndSupport {

    static final String ENI_A = "eni-0a00000000000000a";
    static final String ENI_B = "eni-0b00000000000000b";
    final FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);

    @Override
    AwsStandIn standIn() {
        return AwsStandIn.start().natGateway(SAMPLE_GATEWAY, ENI_A, ENI_B);
    }

    String recordingId() {
        return aws.flowLogsEverCreated().get(0).tags().get("recording-id");
    }

    void deliver(String eni, String internal, String remote, long bytes) {
        aws.flowLogRecords(
                RecorderHarness.LOG_GROUP,
                eni,
                System.currentTimeMillis(),
                records.exchange(internal, remote, 443, 1_000, bytes, null));
    }

    @Test
    void aLongFailedSubjectReachesSnsCutToWhatItAccepts() {
        aws.foreignFlowLog(ENI_A, RecorderHarness.LOG_GROUP);
        aws.foreignFlowLog(ENI_B, RecorderHarness.LOG_GROUP);
        recorder.start();

        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).subject())
                .hasSizeLessThan(100)
                .startsWith("Recording FAILED on " + SAMPLE_GATEWAY + ": CreateFlowLogs failed on every interface")
                .endsWith("...");
        assertThat(recorder.count("recorder.notifications", "result", "sent")).isEqualTo(1);
    }

    @Test
    void aNoLongerWatchedSubjectReachesSns() {
        aws.natGatewayTags(SAMPLE_GATEWAY, Map.of("team", "sre"));
        recorder.without("recorder.nat-gateways[0].id")
                .with("recorder.discovery.tags.team", "sre")
                .start();
        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.count("recorder.discovery.runs") >= 1);
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);

        aws.natGatewayTags(SAMPLE_GATEWAY, Map.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).subject())
                .hasSizeLessThan(100)
                .startsWith("Flow logs recorded on " + SAMPLE_GATEWAY)
                .contains("its gateway is no longer watched");
        assertThat(aws.flowLogs()).isEmpty();
    }

    @Test
    void aPublishRefusedForGoodEndsRejectedAfterOneAttemptAndItsTextStaysReadable() {
        aws.failNext("Publish", 1, 400, "InvalidParameter");
        recorder.start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> recorder.count("recorder.notifications", "result", "rejected") == 1);
        // Sweeps and retries come every few seconds here: a rejected notification is in none of them.
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(8))
                .until(() -> aws.calls("Publish").size() == 1);
        assertThat(aws.published()).isEmpty();
        String detail = recorder.get("/actuator/recordings/" + recordingId()).getValue();
        assertThat(detail)
                .contains("\"status\":\"rejected\"")
                .contains("InvalidParameter")
                .contains("Flow logs recorded on " + SAMPLE_GATEWAY)
                .contains("VPC Flow Logs were recorded on NAT gateway");
        assertThat(recorder.count("recorder.aws.errors", "operation", "Publish", "code", "InvalidParameter"))
                .isEqualTo(1);
    }

    @Test
    void aRecordingWhereOneOfTwoInterfacesFailedStillGetsAReportFromTheOther() {
        aws.foreignFlowLog(ENI_B, RecorderHarness.LOG_GROUP);
        recorder.with("recorder.report.delay", "1s").start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogsOn(ENI_A).size() == 1);
        deliver(ENI_A, "10.0.1.5", "203.0.113.9", 700_000_000);

        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).message())
                .containsPattern("Not recorded +" + ENI_B + ": FlowLogAlreadyExists")
                .containsPattern("10\\.0\\.1\\.5 +-> 203\\.0\\.113\\.9:443 TCP")
                .doesNotContain("Nothing from", "Suspicious");
        assertThat(recorder.count("recorder.reports", "status", "complete")).isEqualTo(1);
    }

    @Test
    void aReportMadeBeforeAnyRecordArrivedIsTriedAgainAndThenHasThem() {
        recorder.with("recorder.report.retry-delay", "4s").start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.get("/actuator/recordings/" + recordingId())
                .getValue()
                .contains("\"status\":\"WAITING\""));
        assertThat(aws.published()).isEmpty();
        deliver(ENI_A, "10.0.1.5", "52.216.8.1", 900_000_000);
        deliver(ENI_B, "10.0.2.9", "198.51.100.4", 100_000_000);

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).message())
                .containsPattern("10\\.0\\.1\\.5 +-> 52\\.216\\.8\\.1:443 TCP")
                .contains("10.0.2.9")
                .doesNotContain("Nothing from");
        assertThat(recorder.count("recorder.reports", "status", "complete")).isEqualTo(1);
        assertThat(recorder.count("recorder.notifications", "result", "failed")).isZero();
    }

    @Test
    void anInterfaceThatDeliversNothingWhileTheOtherIsBusyIsNamedAsSuspicious() {
        recorder.with("recorder.report.retry-delay", "2s").start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        deliver(ENI_A, "10.0.1.5", "52.216.8.1", 900_000_000);
        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).message())
                .containsPattern("Nothing from +" + ENI_B + " \\(no log stream\\)")
                .containsPattern("Suspicious +" + ENI_B + " delivered nothing although its gateway was busy");
    }

    @Test
    void aFlowLogThatDoesNotDeliverIsNamedInTheNotificationAndThePreflightBlamesTheDeliveryRole() {
        recorder.start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        FlowLog broken = aws.flowLogsOn(ENI_A).get(0);
        aws.deliveryFails(broken.flowLogId(), "Access error");

        var preflight = recorder.post("/actuator/preflight");
        assertThat(preflight.getValue())
                .contains("\"status\":\"DOWN\"")
                .contains("VPC Flow Logs cannot write with the delivery role " + RecorderHarness.ROLE);

        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).message())
                .containsPattern("Not delivering +" + broken.flowLogId() + " on " + ENI_A + ": Access error")
                .contains("could not use the delivery role " + RecorderHarness.ROLE);
        assertThat(recorder.count("recorder.flowlogs.delivery.failed")).isEqualTo(1);
    }

    @Test
    void withTheStoreWipedAnOrphanEndsWithinTenSecondsOfItsDeadline() {
        Instant expiresAt = Instant.now().plusSeconds(12).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String orphan = aws.flowLogWithTags(
                ENI_A,
                RecorderHarness.LOG_GROUP,
                Map.of(
                        "managed-by", "vpc-flowlogs-recorder",
                        "recording-id", "a-recording-of-a-lost-store",
                        "expires-at", expiresAt.toString()));
        // The reconciler passes only at start-up here: the orphan's own deadline must end it.
        recorder.with("recorder.reconciler.interval", "10m").start();

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.flowLogs().isEmpty());
        List<AwsStandIn.Call> deletes = aws.calls("DeleteFlowLogs");
        assertThat(deletes).singleElement().satisfies(call -> {
            assertThat(call.params()).containsValue(orphan);
            assertThat(call.at()).isAfterOrEqualTo(expiresAt);
            assertThat(Duration.between(expiresAt, call.at())).isLessThan(Duration.ofSeconds(10));
        });
    }

    @Test
    void anAlarmWhileThePreviousStopIsRetriedStartsItsOwnRecordingOnceTheStopEnds() {
        aws.failNext("DeleteFlowLogs", 2, 500, "InternalError");
        recorder.with("recorder.aws.max-attempts", 1).start();
        Instant t = Instant.now();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, t));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        recorder.send(Events.ok(SAMPLE_GATEWAY, t.plusSeconds(1)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !aws.calls("DeleteFlowLogs").isEmpty());

        String next = Events.alarm(SAMPLE_GATEWAY, t.plusSeconds(5));
        recorder.send(next);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> recorder.count("recorder.events", "reason", "queued-until-stop-ends") == 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> aws.calls("CreateFlowLogs").size() == 2
                        && aws.flowLogs().size() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).subject()).startsWith("Flow logs recorded on " + SAMPLE_GATEWAY);
        assertThat(aws.flowLogsCreated()).isEqualTo(4);
        assertThat(recorder.count("recorder.events", "outcome", "transient")).isZero();
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> recorder.deadLetterDepth() == 0);
        assertThat(recorder.queueDepth()).isZero();
    }
}
