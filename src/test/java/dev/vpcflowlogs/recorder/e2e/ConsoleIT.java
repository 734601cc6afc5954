package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operations a person asks for, against the running daemon: a recording by hand, a stop, a notification sent
 * again; and who may ask (no credentials: 401, a viewer: 403, and no AWS call either way).
 */
class ConsoleIT extends EndToEndSupport {

    static final String ENI = "eni-0c00000000000000c";

    @Override
    AwsStandIn standIn() {
        return AwsStandIn.start().natGateway(SAMPLE_GATEWAY, ENI);
    }

    @Test
    void aRecordingByHandStartsFlowLogsAtOnceAndEndsAtItsDurationNamingWhoAsked() {
        recorder.start();

        Instant asked = Instant.now();
        var answer = recorder.post("/gateways/" + SAMPLE_GATEWAY + "/record?duration=15s");
        assertThat(answer.getKey()).as("redirected to the recording's page").isEqualTo(302);
        // The flow log exists when the request returns: the start is made within it.
        assertThat(aws.flowLogs()).singleElement().satisfies(f -> assertThat(f.resourceId())
                .isEqualTo(ENI));
        String recordingId = aws.flowLogs().get(0).tags().get("recording-id");

        await().atMost(Duration.ofSeconds(40)).until(() -> aws.published().size() == 1);
        Duration lasted = Duration.between(asked, Instant.now());
        assertThat(lasted).isBetween(Duration.ofSeconds(14), Duration.ofSeconds(40));
        assertThat(aws.flowLogs()).isEmpty();
        String message = aws.published().get(0).message();
        assertThat(message)
                .containsPattern("Started by\\s+" + RecorderHarness.OPERATOR + ", by hand")
                .containsPattern("Stopped because\\s+the duration an operator asked for ran out");
        assertThat(recorder.get("/actuator/recordings/" + recordingId).getValue())
                .contains("\"startedBy\":\"" + RecorderHarness.OPERATOR + "\"", "\"stopReason\":\"OPERATOR_DURATION\"");
        assertThat(recorder.count("recorder.operator.requests", "action", "start", "reason", "operator-started"))
                .isEqualTo(1);
    }

    @Test
    void aSecondStartExtendsNothingAndAnOkLeavesARecordingByHandRunning() {
        recorder.start();
        recorder.post("/gateways/" + SAMPLE_GATEWAY + "/record?duration=5m");
        assertThat(aws.flowLogs()).hasSize(1);

        recorder.post("/gateways/" + SAMPLE_GATEWAY + "/record?duration=5m");
        assertThat(aws.calls("CreateFlowLogs").stream().filter(c -> !c.dryRun()))
                .hasSize(1);
        assertThat(recorder.count("recorder.operator.requests", "action", "start", "reason", "already-recording"))
                .isEqualTo(1);

        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> recorder.count("recorder.events", "reason", "recording-by-hand") == 1);
        assertThat(aws.flowLogs()).as("the OK did not end it").hasSize(1);
    }

    @Test
    void aStopEndsARecordingWithinSecondsAndItsNotificationCanBeSentAgain() {
        recorder.start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 1);
        String recordingId = aws.flowLogs().get(0).tags().get("recording-id");

        Instant asked = Instant.now();
        assertThat(recorder.post("/recordings/" + recordingId + "/stop").getKey())
                .isEqualTo(302);
        await().atMost(Duration.ofSeconds(10)).until(() -> aws.flowLogs().isEmpty());
        assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).message())
                .contains("an operator stopped it (" + RecorderHarness.OPERATOR + ")");

        recorder.post("/recordings/" + recordingId + "/notification");
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 2);
        assertThat(aws.published().get(1).subject())
                .isEqualTo(aws.published().get(0).subject());
    }

    @Test
    void withoutCredentialsEveryWriteAnswers401AndAViewers403AndNoAwsCallIsMade() {
        recorder.start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 1);
        String recordingId = aws.flowLogs().get(0).tags().get("recording-id");
        int dryRuns = dryRuns();
        List<String> writes = List.of(
                "/gateways/" + SAMPLE_GATEWAY + "/record?duration=1m",
                "/record?gateway=" + SAMPLE_GATEWAY,
                "/recordings/" + recordingId + "/stop",
                "/recordings/" + recordingId + "/notification",
                "/preflight",
                "/actuator/preflight");

        for (String path : writes) {
            assertThat(recorder.request("POST", path, null).getKey())
                    .as("POST %s without credentials", path)
                    .isEqualTo(401);
            assertThat(recorder.request("POST", path, RecorderHarness.VIEWER).getKey())
                    .as("POST %s as a viewer", path)
                    .isEqualTo(403);
        }

        assertThat(aws.flowLogs()).as("still recording").hasSize(1);
        assertThat(aws.calls("CreateFlowLogs").stream().filter(c -> !c.dryRun()))
                .hasSize(1);
        assertThat(aws.calls("DeleteFlowLogs")).isEmpty();
        assertThat(dryRuns()).as("no preflight ran").isEqualTo(dryRuns);
        assertThat(recorder.count("recorder.console.denied", "who", "anonymous"))
                .isGreaterThanOrEqualTo(writes.size());
        assertThat(recorder.count("recorder.console.denied", "who", "user")).isEqualTo(writes.size());
    }

    @Test
    void healthProbesAnswerWithoutCredentialsAndEverythingElseNeedsThem() {
        recorder.start();

        assertThat(recorder.request("GET", "/actuator/health/liveness", null).getKey())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> recorder.request("GET", "/actuator/health/readiness", null)
                                .getKey()
                        == 200);
        assertThat(recorder.request("GET", "/actuator/prometheus", null).getKey())
                .isEqualTo(200);
        // Anyone reaching the port learns the status; only a user learns what is behind it (roles, accounts).
        for (String probe : List.of("/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness")) {
            assertThat(recorder.request("GET", probe, null).getValue())
                    .as(probe)
                    .contains("\"status\"")
                    .doesNotContain("components", "details", "arn:aws", RecorderHarness.LOG_GROUP);
        }
        var component = recorder.request("GET", "/actuator/health/flowLogDestination", null);
        assertThat(component.getKey()).isEqualTo(404);
        assertThat(component.getValue()).doesNotContain(RecorderHarness.LOG_GROUP);
        assertThat(recorder.request("GET", "/actuator/health", RecorderHarness.VIEWER)
                        .getValue())
                .contains("\"components\"", "flowLogDestination", RecorderHarness.LOG_GROUP);
        assertThat(recorder.request("GET", "/actuator/recordings", null).getKey())
                .isEqualTo(401);
        assertThat(recorder.request("GET", "/", null).getKey()).isEqualTo(401);
        assertThat(recorder.request("GET", "/actuator/recordings", RecorderHarness.VIEWER)
                        .getKey())
                .isEqualTo(200);
        assertThat(recorder.request("GET", "/", RecorderHarness.VIEWER).getValue())
                .contains(SAMPLE_GATEWAY)
                .doesNotContain("Record now");
        assertThat(recorder.request("GET", "/", RecorderHarness.OPERATOR).getValue())
                .contains("Record now");
        // The alarm's last state, as the alarm reconciler read it from CloudWatch.
        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.request("GET", "/", RecorderHarness.VIEWER)
                .getValue()
                .contains("INSUFFICIENT_DATA (read "));
    }

    @Test
    void aWrongPasswordAnswers401AndIsCountedWithoutThePassword() {
        recorder.start();

        var refused = recorder.request("GET", "/actuator/recordings", "mallory");
        assertThat(refused.getKey()).isEqualTo(401);
        assertThat(recorder.count("recorder.console.logins", "result", "failed"))
                .isEqualTo(1);
    }

    @Test
    void aToolAskingForJsonGetsEachOutcomeAsAStatusAndABody() {
        recorder.start();
        String path = "/gateways/" + SAMPLE_GATEWAY + "/record?duration=5m";

        var started = recorder.requestJson("POST", path, RecorderHarness.OPERATOR);
        assertThat(started.getKey()).isEqualTo(201);
        String recordingId = aws.flowLogs().get(0).tags().get("recording-id");
        assertThat(started.getValue())
                .contains(
                        "\"done\":true", "\"reason\":\"operator-started\"", "\"recordingId\":\"" + recordingId + "\"");

        var again = recorder.requestJson("POST", path, RecorderHarness.OPERATOR);
        assertThat(again.getKey()).isEqualTo(409);
        assertThat(again.getValue()).contains("\"reason\":\"already-recording\"", "nothing is extended");

        assertThat(recorder.requestJson(
                                "POST", "/gateways/" + SAMPLE_GATEWAY + "/record?duration=2d", RecorderHarness.OPERATOR)
                        .getKey())
                .isEqualTo(400);
        assertThat(recorder.requestJson("POST", "/gateways/nat-0ffffffffffffffff/record", RecorderHarness.OPERATOR)
                        .getKey())
                .isEqualTo(404);

        var stopped = recorder.requestJson("POST", "/recordings/" + recordingId + "/stop", RecorderHarness.OPERATOR);
        assertThat(stopped.getKey()).isEqualTo(200);
        assertThat(stopped.getValue()).contains("\"reason\":\"operator-stopped\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> aws.flowLogs().isEmpty());
        assertThat(recorder.requestJson("POST", "/recordings/nothing-here/stop", RecorderHarness.OPERATOR)
                        .getKey())
                .isEqualTo(404);
        assertThat(recorder.requestJson("POST", path, RecorderHarness.VIEWER).getKey())
                .isEqualTo(403);
    }

    @Test
    void aRecordingByHandThatMakesNoSenseIsRefusedWithItsReason() {
        recorder.with("recorder.recording.max-duration", "5m").start();

        assertThat(recorder.postAndFollow(
                                "/gateways/" + SAMPLE_GATEWAY + "/record?duration=6m", RecorderHarness.OPERATOR)
                        .getValue())
                .contains("Not recorded: a recording by hand lasts from 10s to recorder.recording.max-duration (5m),"
                        + " not 6m");
        assertThat(recorder.postAndFollow(
                                "/gateways/nat-0ffffffffffffffff/record?duration=1m", RecorderHarness.OPERATOR)
                        .getValue())
                .contains("nat-0ffffffffffffffff is not watched: only a watched gateway can be recorded");
        assertThat(recorder.postAndFollow("/recordings/no-such-recording/stop", RecorderHarness.OPERATOR)
                        .getValue())
                .contains("Recording no-such-recording: there is no recording no-such-recording");
        assertThat(aws.calls("CreateFlowLogs").stream().filter(c -> !c.dryRun()))
                .isEmpty();
    }

    private int dryRuns() {
        return (int) aws.calls().stream().filter(AwsStandIn.Call::dryRun).count();
    }
}
