package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.localrun.LocalRecorder;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The first report a newcomer opens ({@code ./mvnw spring-boot:test-run}, then the printed spike) names who sent the
 * bytes: the local run's sample world holds an instance, a Lambda function and an EKS node whose pods are on
 * secondary addresses and in a prefix, behind the sample records.
 */
class LocalRunSampleIT extends EndToEndSupport {

    @Override
    AwsStandIn standIn() {
        return LocalRecorder.sampleWorld(
                AwsStandIn.start().natGateway(SAMPLE_GATEWAY, LocalRecorder.INTERFACES.toArray(String[]::new)));
    }

    @Test
    void theLocalSpikesReportNamesEveryInternalHost() {
        recorder.with("recorder.report.delay", "1s").start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> recorder.count("recorder.owners.snapshots", "result", "taken") == 1);
        List<List<String>> records = LocalRecorder.sampleRecords();
        for (int i = 0; i < records.size(); i++) {
            aws.flowLogRecords(
                    RecorderHarness.LOG_GROUP,
                    LocalRecorder.INTERFACES.get(i),
                    System.currentTimeMillis(),
                    records.get(i));
        }
        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        String message = aws.published().get(0).message();
        assertThat(message)
                .as(message)
                .containsPattern("10\\.0\\.1\\.5 +i-0b01d000000000001 \\(build-runner\\), us-east-1a")
                .containsPattern("10\\.0\\.1\\.6 +Lambda function export-reports, us-east-1a")
                .containsPattern(
                        "10\\.0\\.2\\.9 +EKS node i-0e5a0de000000000b \\(shop-node\\), cluster shop, us-east-1b")
                .doesNotContain("not found");
        String recordingId = aws.flowLogsEverCreated().get(0).tags().get("recording-id");
        JsonNode owners = JsonMapper.builder()
                .build()
                .readTree(recorder.get("/actuator/recordings/" + recordingId).getValue())
                .path("report")
                .path("owners")
                .path("byAddress");
        // a pod on the node's own interface, on the CNI's, and in its prefix
        for (String pod : List.of("10.0.2.21", "10.0.2.25", "10.0.2.33")) {
            assertThat(owners.path(pod).get(0).path("owner").path("instanceId").asString())
                    .as(pod)
                    .isEqualTo("i-0e5a0de000000000b");
        }
        assertThat(owners.path("10.0.2.33").get(0).path("owner").path("prefix").asString())
                .isEqualTo("10.0.2.32/28");
    }
}
