package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.report.engine.FlowRecords;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report names who held each address while the recording ran (instances with their Name tag, EKS pods, Lambda
 * functions, ECS tasks), what crossed zones, and which endpoints would pay for themselves, from the gateway's own
 * last 30 days.
 */
class OwnersIT extends EndToEndSupport {

    static final String ENI = "eni-0a00000000000000a";
    static final long MB = 1L << 20;
    static final long GB = 1L << 30;
    final FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);

    @Override
    AwsStandIn standIn() {
        // The gateway's interface is in us-east-1a (the stand-in's default for NAT interfaces).
        return AwsStandIn.start()
                .natGateway(SAMPLE_GATEWAY, ENI)
                .instance("i-0web000000000001", "web-1", "us-east-1a", "10.0.1.5")
                .eksNode("i-0node00000000001", "prod", "us-east-1b", "10.0.2.10", "10.0.2.20", "10.0.2.21")
                .lambdaInterface("eni-0lambda000000001", "resize-images", "us-east-1a", "10.0.1.30")
                .ecsTaskInterface(
                        "eni-0ecs00000000001", "5e1f8a3c-8c1d-4a43-9b4e-0d2f6a7b8c9d", "us-east-1a", "10.0.1.40")
                // 100 GB a day through the gateway for the last 30 days.
                .natGatewayDailyBytes(SAMPLE_GATEWAY, "BytesInFromSource", 10.0 * GB)
                .natGatewayDailyBytes(SAMPLE_GATEWAY, "BytesInFromDestination", 90.0 * GB);
    }

    void deliver(List<String> lines) {
        aws.flowLogRecords(RecorderHarness.LOG_GROUP, ENI, System.currentTimeMillis(), lines);
    }

    @Test
    void theReportNamesOwnersAtCaptureTimeCrossAzTrafficAndEndpointsThatPay() throws Exception {
        recorder.with("recorder.report.delay", "1s").start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 1);
        // The owners are read while the recording runs; then a pod's address goes to a Lambda function.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> recorder.count("recorder.owners.snapshots", "result", "taken") == 1);
        aws.moveAddress("10.0.2.21", "eni-0lambda000000001");
        List<String> lines = new ArrayList<>();
        lines.addAll(records.exchange("10.0.1.5", "52.216.8.1", 443, 1 * MB, 900 * MB, "S3"));
        lines.addAll(records.exchange("10.0.2.20", "203.0.113.9", 443, 100 * MB, 200 * MB, "EC2"));
        lines.addAll(records.exchange("10.0.1.40", "198.51.100.4", 443, 20 * MB, 20 * MB, null));
        lines.addAll(records.exchange("10.0.2.21", "192.0.2.10", 443, 5 * MB, 15 * MB, null));
        lines.addAll(records.exchange("10.0.1.30", "192.0.2.44", 443, 1 * MB, 9 * MB, "API_GATEWAY"));
        deliver(lines);

        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        String message = aws.published().get(0).message();
        assertThat(message.lines().count()).as(message).isLessThan(60);
        assertThat(message)
                // the top talker, with its instance and Name tag
                .containsPattern("10\\.0\\.1\\.5 +i-0web000000000001 \\(web-1\\), us-east-1a +901\\.0 MB")
                // an EKS pod's address named as such
                .containsPattern(
                        "10\\.0\\.2\\.20 +EKS pod on node i-0node00000000001 \\(prod-node\\), cluster prod, us-east-1b")
                .containsPattern("Direction +sent 127\\.0 MB, received 1\\.1 GB")
                .containsPattern("10\\.0\\.1\\.5 +-> 52\\.216\\.8\\.1:443 TCP +1\\.0 MB +900\\.0 MB")
                // the pod's zone is not the gateway's: 300 MB each way, $0.01 per GB each way
                .containsPattern("Cross-AZ +(300\\.0|320\\.0) MB from us-east-1b, not the gateway's us-east-1a")
                .contains("gateway endpoint: no charge")
                .containsPattern("EC2 .* interface endpoint advised: saves \\$[0-9.]+ a month against \\$7\\.30")
                .containsPattern("API_GATEWAY .* interface endpoint not worth it: saves \\$[0-9.]+ a month against"
                        + " \\$7\\.30")
                .contains("filter flow_direction = \"ingress\" and dstaddr != pkt_dstaddr");

        String recordingId = aws.flowLogsEverCreated().get(0).tags().get("recording-id");
        JsonNode report = JsonMapper.builder()
                .build()
                .readTree(recorder.get("/actuator/recordings/" + recordingId).getValue())
                .path("report");
        JsonNode moved = report.path("owners").path("byAddress").path("10.0.2.21");
        assertThat(moved).hasSize(2);
        assertThat(moved.get(0).path("when").asString()).isEqualTo("RECORDING");
        assertThat(moved.get(0).path("owner").path("interfaceId").asString()).isEqualTo("eni-0node000000000010");
        assertThat(moved.get(1).path("when").asString()).isEqualTo("REPORT");
        assertThat(moved.get(1).path("owner").path("interfaceId").asString()).isEqualTo("eni-0lambda000000001");
        JsonNode task =
                report.path("owners").path("byAddress").path("10.0.1.40").get(0).path("owner");
        assertThat(task.path("description").asString()).startsWith("arn:aws:ecs:");
        JsonNode crossAz = report.path("crossAz");
        assertThat(crossAz.path("gatewayZone").asString()).isEqualTo("us-east-1a");
        assertThat(crossAz.path("bytesByZone").path("us-east-1b").asLong()).isEqualTo(320 * MB);
        // 100 GB a day for 30 days, as a month of 730 hours
        assertThat(report.path("costs").path("monthlyBytes").asLong()).isEqualTo(Math.round(3000.0 * GB * 730 / 720));
        assertThat(aws.calls("DescribeNetworkInterfaces")).isNotEmpty();
        assertThat(aws.calls("GetMetricData")).isNotEmpty();
    }
}
