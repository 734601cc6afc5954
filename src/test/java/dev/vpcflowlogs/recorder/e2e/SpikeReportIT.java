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

/** A spike whose flow log records reach CloudWatch Logs: the notification says who, to where, and what it cost. */
class SpikeReportIT extends EndToEndSupport {

    static final String ENI_A = "eni-0a00000000000000a";
    static final String ENI_B = "eni-0b00000000000000b";

    @Override
    AwsStandIn standIn() {
        return AwsStandIn.start().natGateway(SAMPLE_GATEWAY, ENI_A, ENI_B);
    }

    @Test
    void theNotificationNamesTheTopTalkerTheS3BytesAndTheNatCost() {
        recorder.with("recorder.report.delay", "1s")
                .with("recorder.report.prices.us-east-1.nat-gateway-per-gb", "0.05")
                .with("recorder.report.prices.us-east-1.interface-endpoint-per-gb", "0.01")
                .with("recorder.report.prices.us-east-1.interface-endpoint-per-az-hour", "0.01")
                .start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        String recordingId = aws.flowLogs().get(0).tags().get("recording-id");

        FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);
        List<String> eniA = new ArrayList<>();
        eniA.addAll(records.exchange("10.0.1.5", "52.216.8.1", 443, 2_000_000, 900_000_000, "S3"));
        eniA.addAll(records.exchange("10.0.1.6", "203.0.113.9", 443, 5_000_000, 200_000_000, null));
        aws.flowLogRecords(RecorderHarness.LOG_GROUP, ENI_A, System.currentTimeMillis(), eniA);
        aws.flowLogRecords(
                RecorderHarness.LOG_GROUP,
                ENI_B,
                System.currentTimeMillis(),
                records.exchange("10.0.2.9", "198.51.100.4", 22, 100_000_000, 0, null));
        // Records of another interface and from long before the recording must not count.
        aws.flowLogRecords(
                RecorderHarness.LOG_GROUP,
                "eni-0ccccccccccccccc0",
                System.currentTimeMillis(),
                records.exchange("10.0.3.3", "192.0.2.1", 443, 0, 999_000_000, null));
        aws.flowLogRecords(
                RecorderHarness.LOG_GROUP,
                ENI_A,
                System.currentTimeMillis() - Duration.ofHours(2).toMillis(),
                records.exchange("10.0.1.99", "192.0.2.1", 443, 0, 999_000_000, null));

        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);

        long processed = 902_000_000L + 205_000_000L + 100_000_000L;
        String message = aws.published().get(0).message();
        assertThat(message)
                .containsPattern("NAT processed +1\\.1 GB, about \\$0\\.0562 for this window")
                // sent and received, as the internal host sees them
                .containsPattern("10\\.0\\.1\\.5 +-> 52\\.216\\.8\\.1:443 TCP +1\\.9 MB +858\\.3 MB")
                .containsPattern("S3 +860\\.2 MB +gateway endpoint: no charge")
                .contains("Every figure above is exact.")
                .doesNotContain("10.0.3.3", "10.0.1.99", "a month at this rate");
        assertThat(message.indexOf("Top conversations")).isLessThan(message.indexOf("Logs Insights"));
        assertThat(message.lines().count()).isLessThan(60);

        var detail = recorder.get("/actuator/recordings/" + recordingId);
        assertThat(detail.getValue())
                .contains("\"status\":\"COMPLETE\"")
                .contains("\"natProcessedBytes\":" + processed)
                .contains("\"internalHost\":\"10.0.1.5\"")
                .contains("\"priceRegion\":\"us-east-1\"");
        assertThat(recorder.count("recorder.reports", "status", "complete")).isEqualTo(1);
    }

    @Test
    void theNotificationGoesEvenWhenTheRecordsCannotBeRead() {
        aws.failRandomly("DescribeLogStreams", 1.0, 400, "AccessDeniedException");
        recorder.with("recorder.report.delay", "1s").start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).message())
                .containsPattern("Report +not available: the flow log records could not be read: .*AccessDenied")
                .contains("parse @message");
        assertThat(recorder.count("recorder.reports", "status", "failed")).isEqualTo(1);
    }
}
