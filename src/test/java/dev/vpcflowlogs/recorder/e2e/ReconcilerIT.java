package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.FlowLog;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reconciler: what the recorder made and should not exist is deleted; what it did not make is never touched. */
class ReconcilerIT extends EndToEndSupport {

    static final String ENI_A = "eni-0a00000000000000a";
    static final String ENI_B = "eni-0b00000000000000b";
    static final String OTHER_GROUP = "/someone/else";

    @Override
    AwsStandIn standIn() {
        return AwsStandIn.start().natGateway(SAMPLE_GATEWAY, ENI_A, ENI_B);
    }

    static Map<String, String> ours(String recordingId, Instant expiresAt) {
        return Map.of(
                "managed-by",
                "vpc-flowlogs-recorder",
                "recording-id",
                recordingId,
                "nat-gateway-id",
                SAMPLE_GATEWAY,
                "expires-at",
                expiresAt.toString());
    }

    /**
     * A deletion is counted once AWS has answered, a moment after the stand-in shows the flow log gone: waits for the
     * count to reach {@code expected}, then checks it did not pass it (each deletion is counted once).
     */
    static void assertCounted(RecorderHarness harness, int expected, String name, String... tags) {
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.count(name, tags) >= expected);
        assertThat(harness.count(name, tags)).isEqualTo(expected);
    }

    @Test
    void aFlowLogLeftBehindByAFinishedRecordingIsDeleted() {
        recorder.start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        String recordingId = aws.flowLogs().get(0).tags().get("recording-id");
        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 1);

        String leaked = aws.flowLogWithTags(
                ENI_A, OTHER_GROUP, ours(recordingId, Instant.now().plusSeconds(3600)));

        await().atMost(Duration.ofSeconds(15)).until(() -> aws.flowLogs().stream()
                .noneMatch(f -> f.flowLogId().equals(leaked)));
        assertCounted(recorder, 1, "recorder.reconciler.deleted", "reason", "recording-finished");
    }

    @Test
    void aFlowLogNotPartOfItsActiveRecordingIsDeletedAndTheRecordingsOwnAreKept() {
        recorder.start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        String recordingId = aws.flowLogs().get(0).tags().get("recording-id");

        String stray = aws.flowLogWithTags(
                ENI_B, OTHER_GROUP, ours(recordingId, Instant.now().plusSeconds(3600)));

        await().atMost(Duration.ofSeconds(15)).until(() -> aws.flowLogs().stream()
                .noneMatch(f -> f.flowLogId().equals(stray)));
        assertThat(aws.flowLogs())
                .hasSize(2)
                .allMatch(f -> recordingId.equals(f.tags().get("recording-id")));
        assertCounted(recorder, 1, "recorder.reconciler.deleted", "reason", "not-part-of-its-recording");
    }

    @Test
    void aStopThatKeepsFailingIsNotifiedAndTheReconcilerDeletesTheFlowLogsLater() {
        recorder.with("recorder.recording.retry-delay", "1s")
                .with("recorder.aws.max-attempts", 1)
                .start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        aws.failRandomly("DeleteFlowLogs", 1.0, 403, "UnauthorizedOperation");
        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(60)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).subject()).startsWith("Recording FAILED on " + SAMPLE_GATEWAY);
        assertThat(aws.published().get(0).message())
                .contains("failed to stop", "could not be deleted after 5 attempts", "UnauthorizedOperation");
        assertThat(aws.flowLogs()).hasSize(2);

        aws.clearFaults();
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().isEmpty());
        assertCounted(recorder, 2, "recorder.reconciler.deleted", "reason", "recording-finished");
    }

    @Test
    void withTheStoreLostOurFlowLogsAreDeletedOnceTheirDeadlinePasses() {
        recorder.with("recorder.recording.max-duration", "6s").start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        Instant expiresAt = Instant.parse(aws.flowLogs().get(0).tags().get("expires-at"));
        recorder.stop();

        // A recorder with an empty store (its own schema and queue) finds flow logs no recording knows.
        try (RecorderHarness amnesiac = new RecorderHarness(sqs, aws)) {
            amnesiac.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> aws.flowLogs().isEmpty());
            assertThat(aws.calls("DeleteFlowLogs"))
                    .allSatisfy(c -> assertThat(c.at()).isAfter(expiresAt));
            assertCounted(amnesiac, 2, "recorder.reconciler.deleted", "reason", "unknown-recording-expired");
        }
    }

    @Test
    void flowLogsTheRecorderDidNotMakeSurviveRecordingsAndReconciliations() {
        String untagged = aws.foreignFlowLog(ENI_B, OTHER_GROUP);
        String taggedByOthers = aws.flowLogWithTags(ENI_A, OTHER_GROUP, Map.of("managed-by", "someone-else"));
        recorder.start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 4);
        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 1);
        double runs = recorder.count("recorder.reconciler.runs", "result", "succeeded");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> recorder.count("recorder.reconciler.runs", "result", "succeeded") >= runs + 3);

        assertThat(aws.flowLogs()).extracting(FlowLog::flowLogId).containsExactlyInAnyOrder(untagged, taggedByOthers);
        assertThat(aws.calls("DeleteFlowLogs"))
                .allSatisfy(c -> assertThat(c.params().values()).doesNotContain(untagged, taggedByOthers));
    }
}
