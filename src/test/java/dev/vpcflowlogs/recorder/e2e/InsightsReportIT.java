package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.report.engine.FlowLogAnalyzer;
import dev.vpcflowlogs.recorder.report.engine.FlowRecords;
import dev.vpcflowlogs.recorder.report.engine.SpikeReport;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Recordings read by CloudWatch Logs Insights instead of streamed: the same report as streaming gives, exact past
 * Insights' 10,000 rows a query; a query that fails or is throttled falls back to streaming and leaves nothing
 * running; an Infrequent Access log group is read by Insights only.
 */
class InsightsReportIT extends EndToEndSupport {

    static final String ENI_A = "eni-0a00000000000000a";
    static final String ENI_B = "eni-0b00000000000000b";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    AwsStandIn standIn() {
        return AwsStandIn.start().natGateway(SAMPLE_GATEWAY, ENI_A, ENI_B);
    }

    /** One exchange the gateway's other interface delivers, so that no flow log is silent. */
    static final List<String> ON_B =
            new FlowRecords(FlowRecords.ORIGINAL).exchange("10.0.2.7", "192.0.2.77", 443, 10, 20, null);

    /** Starts a recording, delivers the lines on ENI_A (and {@link #ON_B} on ENI_B), ends it; the recording's id. */
    private String record(List<String> lines) {
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        String recordingId = aws.flowLogs().get(0).tags().get("recording-id");
        aws.flowLogRecords(RecorderHarness.LOG_GROUP, ENI_A, System.currentTimeMillis(), lines);
        aws.flowLogRecords(RecorderHarness.LOG_GROUP, ENI_B, System.currentTimeMillis(), ON_B);
        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));
        return recordingId;
    }

    /**
     * Thirty thousand conversations, each big on one side only, and ten that are the biggest in all but on neither
     * side: each query's 10,000 rows hold none of the ten, so only a recording split in parts finds them.
     */
    static List<String> hiddenTopTalkers() {
        FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            String client = "10.0." + (i % 100 / 10) + "." + (i % 10 + 1);
            String remote = "198." + (51 + i / 60_000) + "." + (i / 250 % 250) + "." + (i % 250 + 1);
            long big = 1_000 + (i * 7_919L) % 97;
            lines.addAll(
                    i % 2 == 0
                            ? records.exchange(client, remote, 443, big, 1, i % 10 == 0 ? "S3" : null)
                            : records.exchange(client, remote, 443, 1, big, null));
        }
        for (int t = 0; t < 10; t++) {
            lines.addAll(records.exchange("10.0.9." + (t + 1), "203.0.113." + (t + 1), 8443, 600 + t, 600, null));
        }
        return lines;
    }

    static SpikeReport streamed(List<String> lines) {
        FlowLogAnalyzer analyzer = new FlowLogAnalyzer(FlowRecords.ORIGINAL, 10, 200_000);
        lines.forEach(line -> analyzer.accept(System.currentTimeMillis(), line));
        return analyzer.report();
    }

    private JsonNode reportOf(String recordingId) {
        JsonNode detail = JSON.readTree(
                recorder.get("/actuator/recordings/" + recordingId).getValue());
        return detail.findParent("conversations");
    }

    @Test
    void aBigRecordingReadByInsightsHasTheStreamedReportExactPastTenThousandRows() {
        recorder.with("recorder.report.delay", "1s")
                .with("recorder.report.insights.above", "1000")
                .with("recorder.report.insights.poll", "20ms")
                .with("recorder.report.insights.max-queries", "300")
                .with("recorder.report.reads", "100")
                .start();
        List<String> lines = hiddenTopTalkers();
        String recordingId = record(lines);

        await().atMost(Duration.ofSeconds(90)).until(() -> aws.published().size() == 1);
        List<String> all = new ArrayList<>(lines);
        all.addAll(ON_B);
        JsonNode expected = JSON.valueToTree(streamed(all));
        JsonNode report = reportOf(recordingId);
        for (String field : List.of(
                "records",
                "bytes",
                "natProcessedBytes",
                "sentBytes",
                "receivedBytes",
                "ingressBytes",
                "egressBytes",
                "bytesByService",
                "conversations",
                "internalHosts",
                "remoteHosts",
                "exact")) {
            assertThat(String.valueOf(report.get(field))).as(field).isEqualTo(String.valueOf(expected.get(field)));
        }
        assertThat(report.get("conversations").get(0).get("remoteHost").asString())
                .startsWith("203.0.113.");
        String message = aws.published().get(0).message();
        assertThat(message)
                // The group's 120,044 records in the window were more than the threshold: streaming began, and
                // handed over once the recording's own first thousand projected past it.
                .containsPattern("Read by Logs Insights: \\d+ queries scanned [\\d.]+ MB \\(about \\$[\\d.]+\\), as"
                        + " streaming read 1,000 of its records in \\d+% of the window, about [\\d,]+ in all, more"
                        + " than recorder.report.insights.above \\(1,000\\)")
                .contains("Every figure above is exact.")
                .containsPattern("The recording's flow logs delivered [\\d.]+ MB to CloudWatch Logs \\(Standard"
                        + " class\\): about \\$[\\d.]+ \\(AWS/Logs IncomingBytes of the log group in its window\\)");
        // Ten queries' worth of parts were needed: the first answers could not tell the top ten.
        assertThat(aws.insightsStarted().size()).isGreaterThan(20);
        assertThat(aws.insightsRunning()).isZero();
    }

    @Test
    void aFailedQueryStopsTheOthersAndTheRecordsAreStreamedInstead() {
        aws.insightsFailNext(1).insightsDelay(Duration.ofSeconds(30));
        recorder.with("recorder.report.delay", "1s")
                .with("recorder.report.engine", "insights")
                .with("recorder.report.insights.poll", "50ms")
                .with("recorder.report.reads", "100")
                .start();
        FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);
        record(records.exchange("10.0.1.5", "203.0.113.9", 443, 5_000_000, 200_000_000, null));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).message())
                .contains("Read by streaming its records, as recorder.report.engine is insights.")
                .contains("Logs Insights gave no answer: a Logs Insights query ended Failed.")
                .containsPattern("10\\.0\\.1\\.5 +-> 203\\.0\\.113\\.9:443 TCP +4\\.8 MB +190\\.7 MB");
        // The eight others were still waiting to run: each was stopped, none is left scanning.
        assertThat(aws.insightsStopped()).hasSize(aws.insightsStarted().size() - 1);
        assertThat(aws.insightsRunning()).isZero();
        assertThat(recorder.count("recorder.report.insights.failures", "kind", "failed"))
                .isEqualTo(1);
    }

    @Test
    void insightsThrottledForHalfTheBudgetFallsBackToStreaming() {
        aws.insightsConcurrency(0);
        recorder.with("recorder.report.delay", "1s")
                .with("recorder.report.engine", "insights")
                .with("recorder.report.timeout", "10s")
                .with("recorder.report.insights.poll", "100ms")
                .start();
        FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);
        record(records.exchange("10.0.1.5", "203.0.113.9", 443, 5_000_000, 200_000_000, null));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).message())
                .contains("Logs Insights gave no answer: Logs Insights refused to start more queries")
                .contains("LimitExceededException")
                .containsPattern("10\\.0\\.1\\.5 +-> 203\\.0\\.113\\.9:443 TCP");
        assertThat(recorder.count("recorder.report.insights.failures", "kind", "throttled"))
                .isEqualTo(1);
    }

    @Test
    void anInfrequentAccessGroupIsCreatedSoAndReadByInsights() {
        recorder.with("recorder.report.delay", "1s")
                .with("recorder.flow-logs.log-group-class", "INFREQUENT_ACCESS")
                .with("recorder.report.insights.poll", "20ms")
                .with("recorder.report.reads", "100")
                .start();
        FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);
        String recordingId = record(records.exchange("10.0.1.5", "203.0.113.9", 443, 5_000_000, 200_000_000, null));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        // The console's page of the recording says the same.
        assertThat(recorder.request("GET", "/recordings/" + recordingId, RecorderHarness.VIEWER)
                        .getValue())
                .containsPattern("Read by <strong>Logs Insights</strong>")
                .contains("<span>INFREQUENT_ACCESS</span> class");
        assertThat(aws.logGroupClass(RecorderHarness.LOG_GROUP)).isEqualTo("INFREQUENT_ACCESS");
        assertThat(aws.published().get(0).message())
                .contains("Read by Logs Insights: 9 queries scanned")
                .contains("as the log group is of the Infrequent Access class, read by Logs Insights only")
                .containsPattern("10\\.0\\.1\\.5 +-> 203\\.0\\.113\\.9:443 TCP +4\\.8 MB +190\\.7 MB")
                .containsPattern("delivered [\\d.]+ \\w*B to CloudWatch Logs \\(Infrequent Access class\\)");
        assertThat(aws.calls("FilterLogEvents")).isEmpty();
    }

    @Test
    void aHostEc2NoLongerKnowsIsNamedByTheInterfaceItsRecordsCameFrom() {
        recorder.with("recorder.report.delay", "1s")
                .with("recorder.report.engine", "insights")
                .with("recorder.report.insights.poll", "20ms")
                .with("recorder.report.reads", "100")
                .with(
                        "recorder.flow-logs.log-format",
                        "flow-direction srcaddr dstaddr pkt-srcaddr pkt-dstaddr bytes next-hop-interface-id"
                                + " next-hop-interface-type")
                .start();
        String nat = "10.0.0.10";
        // A Lambda function's interface, deleted before the report: only the records' next hop still names it.
        List<String> lines = List.of(
                "ingress 10.0.1.5 " + nat + " 10.0.1.5 203.0.113.9 5000000 eni-0f00000000000001f lambda",
                "egress " + nat + " 203.0.113.9 " + nat + " 203.0.113.9 5000000 - -",
                "ingress 203.0.113.9 " + nat + " 203.0.113.9 " + nat + " 90000000 - -",
                "egress " + nat + " 10.0.1.5 203.0.113.9 10.0.1.5 90000000 eni-0f00000000000001f lambda");
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        aws.flowLogRecords(RecorderHarness.LOG_GROUP, ENI_A, System.currentTimeMillis(), lines);
        aws.flowLogRecords(RecorderHarness.LOG_GROUP, ENI_B, System.currentTimeMillis(), lines.subList(0, 1));
        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).message())
                .contains("Read by Logs Insights: 10 queries")
                .containsPattern(
                        "10\\.0\\.1\\.5 +eni-0f00000000000001f \\(lambda interface named by its flow log records\\)");
    }

    @Test
    void aSmallRecordingInABusyLogGroupIsStreamed() {
        recorder.with("recorder.report.delay", "1s")
                .with("recorder.report.insights.above", "1000")
                .start();
        FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);
        List<String> busy = new ArrayList<>();
        for (int i = 0; i < 1_250; i++) {
            busy.addAll(records.exchange("10.0.7." + (i % 200 + 1), "192.0.2." + (i % 250 + 1), 443, 10, 10, null));
        }
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        // Another gateway's interface writes 5,000 records to the same group meanwhile.
        aws.flowLogRecords(RecorderHarness.LOG_GROUP, "eni-0ccccccccccccccc0", System.currentTimeMillis(), busy);
        aws.flowLogRecords(
                RecorderHarness.LOG_GROUP,
                ENI_A,
                System.currentTimeMillis(),
                records.exchange("10.0.1.5", "203.0.113.9", 443, 5_000_000, 200_000_000, null));
        aws.flowLogRecords(RecorderHarness.LOG_GROUP, ENI_B, System.currentTimeMillis(), ON_B);
        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).message())
                .contains("Read by streaming its records, as the log group received 5,008 records in the window, more"
                        + " than recorder.report.insights.above (1,000), but few were the recording's own.")
                .containsPattern("10\\.0\\.1\\.5 +-> 203\\.0\\.113\\.9:443 TCP +4\\.8 MB +190\\.7 MB");
        assertThat(aws.insightsStarted()).isEmpty();
    }
}
