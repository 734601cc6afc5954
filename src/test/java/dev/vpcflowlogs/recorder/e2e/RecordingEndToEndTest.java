package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.Call;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.FlowLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The running daemon against ElasticMQ, PostgreSQL and the AWS stand-in: a spike from alarm to notification. */
class RecordingEndToEndTest {

    static final String ENI_A = "eni-0a00000000000000a";
    static final String ENI_B = "eni-0b00000000000000b";
    static final String ORIGINAL_FORMAT = "${action} ${flow-direction} ${traffic-path} ${srcaddr} ${srcport}"
            + " ${dstaddr} ${dstport} ${protocol} ${bytes} ${type} ${pkt-srcaddr} ${pkt-src-aws-service}"
            + " ${pkt-dstaddr} ${pkt-dst-aws-service}";

    static LocalSqs sqs;
    AwsStandIn aws;
    RecorderHarness recorder;

    @BeforeAll
    static void startSqs() {
        sqs = LocalSqs.start();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @BeforeEach
    void startStandIn() {
        // Two addresses share ENI_A: the recorder must record each interface once.
        aws = AwsStandIn.start().natGateway(SAMPLE_GATEWAY, ENI_A, ENI_B, ENI_A);
        recorder = new RecorderHarness(sqs, aws);
    }

    @AfterEach
    void stopAll() {
        recorder.close();
        aws.close();
    }

    @Test
    void recordsEveryInterfaceOnAlarmAndDeletesFlowLogsAfterTheTailOfOk() throws Exception {
        recorder.start();
        recorder.send(Events.sample("alarm-single-metric.json"));

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        List<Call> creates = aws.calls("CreateFlowLogs");
        assertThat(creates).hasSize(1);
        Call create = creates.get(0);
        assertThat(create.params())
                .containsEntry("ResourceType", "NetworkInterface")
                .containsEntry("ResourceId.1", ENI_A)
                .containsEntry("ResourceId.2", ENI_B)
                .doesNotContainKey("ResourceId.3")
                .containsEntry("TrafficType", "ALL")
                .containsEntry("LogDestinationType", "cloud-watch-logs")
                .containsEntry("LogGroupName", RecorderHarness.LOG_GROUP)
                .containsEntry("DeliverLogsPermissionArn", RecorderHarness.ROLE)
                .containsEntry("LogFormat", ORIGINAL_FORMAT)
                .containsEntry("MaxAggregationInterval", "60");
        assertThat(create.params().get("ClientToken")).startsWith("vfr-").hasSizeLessThanOrEqualTo(64);
        FlowLog flowLog = aws.flowLogs().get(0);
        String recordingId = flowLog.tags().get("recording-id");
        assertThat(create.params().get("ClientToken")).endsWith(recordingId);
        assertThat(flowLog.tags())
                .containsEntry("managed-by", "vpc-flowlogs-recorder")
                .containsEntry("nat-gateway-id", SAMPLE_GATEWAY)
                .containsKey("expires-at");
        assertThat(aws.logGroups()).containsEntry(RecorderHarness.LOG_GROUP, 7);

        Instant okSent = Instant.now();
        recorder.send(Events.sample("ok-single-metric.json"));

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().isEmpty());
        List<Call> deletes = aws.calls("DeleteFlowLogs");
        assertThat(deletes).hasSize(1);
        assertThat(Duration.between(okSent, deletes.get(0).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));

        await().atMost(Duration.ofSeconds(10)).until(() -> aws.published().size() == 1);
        AwsStandIn.Published notification = aws.published().get(0);
        assertThat(notification.topicArn()).isEqualTo(RecorderHarness.TOPIC);
        assertThat(notification.subject())
                .hasSizeLessThanOrEqualTo(100)
                .contains(SAMPLE_GATEWAY)
                .contains("the alarm cleared");
        assertThat(notification.message())
                .contains(recordingId, ENI_A, ENI_B, flowLog.flowLogId())
                .containsPattern("Stopped because +the alarm cleared")
                .contains("parse @message \"* * * * * * * * * * * * * *\" as action, flow_direction")
                .contains("#logsV2:log-groups/log-group/$252Fvpc-flowlogs-recorder$252Frecordings");

        HttpResponse<String> listing = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + recorder.port() + "/actuator/recordings/" + recordingId))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(listing.body()).contains("\"state\":\"COMPLETED\"", "\"stopReason\":\"ALARM_CLEARED\"");
        assertThat(recorder.count("recorder.events", "outcome", "acted")).isEqualTo(2);
        assertThat(recorder.count("recorder.recordings", "result", "completed")).isEqualTo(1);
    }
}
