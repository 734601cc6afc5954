package dev.vpcflowlogs.recorder.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.ProviderException;
import dev.vpcflowlogs.recorder.report.FlowLogSource;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** Reading a recording's records over the real CloudWatch Logs JSON protocol, from the stand-in. */
class CloudWatchLogsFlowLogSourceTest {

    static final String GROUP = "/vpc-flowlogs-recorder/recordings";
    static final Instant FROM = Instant.parse("2026-11-20T09:00:00Z");
    static final Instant TO = Instant.parse("2026-11-20T09:20:00Z");

    AwsStandIn aws;
    CloudWatchLogsClient logs;
    final ExecutorService logReads = Executors.newFixedThreadPool(2);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CloudWatchLogsFlowLogSource source;

    @BeforeEach
    void setUp() {
        aws = AwsStandIn.start();
        logs = CloudWatchLogsClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .build();
        source = source(TestProperties.defaults());
    }

    CloudWatchLogsFlowLogSource source(RecorderProperties properties) {
        return new CloudWatchLogsFlowLogSource(
                AwsClients.ofHome(TestProperties.defaults(), TestProperties.places(), null, logs, null),
                new AwsErrors(new SimpleMeterRegistry()),
                properties,
                logReads,
                meters);
    }

    @AfterEach
    void tearDown() {
        logReads.shutdownNow();
        logs.close();
        aws.close();
    }

    List<String> lines(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + " " + i).toList();
    }

    @Test
    void readsEveryPageOfTheRecordedInterfacesWithinTheWindowOnly() {
        long inside = FROM.plusSeconds(60).toEpochMilli();
        aws.flowLogRecords(GROUP, "eni-a", inside, lines("a", 1_500));
        aws.flowLogRecords(GROUP, "eni-b", inside, lines("b", 700));
        aws.flowLogRecords(GROUP, "eni-other", inside, lines("other", 10));
        aws.flowLogRecords(GROUP, "eni-a", FROM.minusSeconds(1).toEpochMilli(), lines("early", 10));
        aws.flowLogRecords(GROUP, "eni-a", TO.plusSeconds(1).toEpochMilli(), lines("late", 10));

        List<String> read = new ArrayList<>();
        FlowLogSource.Delivery delivery = source.read(
                TestProperties.HOME, GROUP, zonal("eni-a", "eni-b"), FROM, TO, (ts, message) -> read.add(message));

        assertThat(read).hasSize(2_200).allMatch(m -> m.startsWith("a ") || m.startsWith("b "));
        assertThat(delivery.bySource())
                .containsEntry("eni-a", new FlowLogSource.Delivered(List.of("eni-a-all"), 1_500))
                .containsEntry("eni-b", new FlowLogSource.Delivered(List.of("eni-b-all"), 700));
        assertThat(delivery.silent()).isEmpty();
        // The stand-in answers partly full and empty pages, as FilterLogEvents may: only the token ends it.
        assertThat(aws.calls("FilterLogEvents").size()).isGreaterThan(3);
    }

    @Test
    void anInterfaceWithoutAStreamYetIsNoErrorAndIsToldApartFromOneWithoutRecords() {
        long inside = FROM.plusSeconds(60).toEpochMilli();
        aws.flowLogRecords(GROUP, "eni-a", inside, lines("a", 3));
        aws.flowLogRecords(GROUP, "eni-c", TO.plusSeconds(600).toEpochMilli(), lines("c", 3));

        List<String> read = new ArrayList<>();
        FlowLogSource.Delivery delivery = source.read(
                TestProperties.HOME,
                GROUP,
                zonal("eni-a", "eni-b", "eni-c"),
                FROM,
                TO,
                (ts, message) -> read.add(message));

        assertThat(read).hasSize(3);
        assertThat(delivery.silent()).containsExactly("eni-b", "eni-c");
        assertThat(delivery.bySource().get("eni-b").streams())
                .as("no stream yet")
                .isEmpty();
        assertThat(delivery.bySource().get("eni-c").streams()).containsExactly("eni-c-all");
        assertThat(aws.calls("FilterLogEvents"))
                .allSatisfy(call -> assertThat(call.params().toString()).doesNotContain("eni-b"));
    }

    @Test
    void namesAtMostAHundredStreamsACall() {
        long inside = FROM.plusSeconds(60).toEpochMilli();
        List<String> interfaces = IntStream.range(0, 150)
                .mapToObj(i -> String.format("eni-%017d", i))
                .toList();
        interfaces.forEach(eni -> aws.flowLogRecords(GROUP, eni, inside, lines(eni, 1)));

        // 150 look-ups of streams: at the default 20 calls a second that alone would take 7 s.
        CloudWatchLogsFlowLogSource fast = source(TestProperties.withReportReads(100));

        List<String> read = new ArrayList<>();
        fast.read(
                TestProperties.HOME,
                GROUP,
                zonal(interfaces.toArray(String[]::new)),
                FROM,
                TO,
                (ts, message) -> read.add(message));

        // The stand-in refuses more than 100 names a call, as CloudWatch Logs does.
        assertThat(read).hasSize(150);
    }

    @Test
    void aRefusedReadNamesTheOperationAndTheCode() {
        aws.flowLogRecords(GROUP, "eni-a", FROM.plusSeconds(60).toEpochMilli(), lines("a", 3));
        aws.failNext("FilterLogEvents", 1, 400, "AccessDeniedException");

        assertThatThrownBy(() -> source.read(TestProperties.HOME, GROUP, zonal("eni-a"), FROM, TO, (ts, m) -> {}))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("FilterLogEvents failed: AccessDeniedException");
    }

    @Test
    void aRegionalGatewaysStreamsCountAsOneSourceWhicheverPrefixNamesThem() {
        long inside = FROM.plusSeconds(60).toEpochMilli();
        // AWS does not document these names: one stream per zone under the gateway's id, or under the flow log's.
        aws.flowLogRecordsInStream(GROUP, "nat-0regional00000001-use1-az1", inside, lines("az1", 4));
        aws.flowLogRecordsInStream(GROUP, "fl-0000000000000000a-use1-az2", inside, lines("az2", 3));
        aws.flowLogRecordsInStream(GROUP, "nat-0other000000000001-use1-az1", inside, lines("other", 5));

        List<String> read = new ArrayList<>();
        FlowLogSource.Delivery delivery = source.read(
                TestProperties.HOME,
                GROUP,
                Map.of("nat-0regional00000001", List.of("nat-0regional00000001", "fl-0000000000000000a")),
                FROM,
                TO,
                (ts, message) -> read.add(message));

        assertThat(read).hasSize(7).noneMatch(m -> m.startsWith("other"));
        assertThat(delivery.bySource().get("nat-0regional00000001"))
                .isEqualTo(new FlowLogSource.Delivered(
                        List.of("nat-0regional00000001-use1-az1", "fl-0000000000000000a-use1-az2"), 7));
        assertThat(delivery.silent()).isEmpty();
    }

    @Test
    void reportsOfOneLogGroupReadingTogetherShareTheirCallsWithinCloudWatchLogsQuotas() throws Exception {
        aws.throttleLikeLogs(5, 25);
        long inside = FROM.plusSeconds(60).toEpochMilli();
        List<String> interfaces = IntStream.range(0, 40)
                .mapToObj(i -> String.format("eni-%017d", i))
                .toList();
        interfaces.forEach(eni -> aws.flowLogRecords(GROUP, eni, inside, lines(eni, 30)));
        aws.holdBefore("FilterLogEvents");
        ExecutorService reports = Executors.newFixedThreadPool(20);
        try {
            List<CompletableFuture<List<String>>> reads = new ArrayList<>();
            for (int r = 0; r < 20; r++) {
                List<String> pair = interfaces.subList(2 * r, 2 * r + 2);
                reads.add(CompletableFuture.supplyAsync(
                        () -> {
                            List<String> read = new ArrayList<>();
                            source.read(
                                    TestProperties.HOME,
                                    GROUP,
                                    zonal(pair.toArray(String[]::new)),
                                    FROM,
                                    TO,
                                    (ts, message) -> read.add(message));
                            return read;
                        },
                        reports));
            }
            // The first call is held (with the reports that were waiting when it began); the others wait for the next.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> !aws.calls("FilterLogEvents").isEmpty()
                            && meters.get("recorder.report.reads.waiting")
                                                    .gauge()
                                                    .value()
                                            + reportsIn(
                                                    aws.calls("FilterLogEvents").get(0))
                                    == 20);
            aws.releaseHolds();

            for (int r = 0; r < 20; r++) {
                List<String> pair = interfaces.subList(2 * r, 2 * r + 2);
                assertThat(reads.get(r).get(30, TimeUnit.SECONDS))
                        .as("report %d reads its own interfaces' records only", r)
                        .hasSize(60)
                        .allMatch(m -> m.startsWith(pair.get(0)) || m.startsWith(pair.get(1)));
            }
        } finally {
            reports.shutdownNow();
        }
        assertThat(aws.throttled()).as("calls CloudWatch Logs refused").isZero();
        // One report's call (its pages: the stand-in answers partly full and empty ones), then one for the 19 others.
        long readings = aws.calls("FilterLogEvents").stream()
                .filter(c -> !c.params().get("body").contains("nextToken"))
                .count();
        assertThat(readings).isEqualTo(2);
        assertThat(meters.get("recorder.report.reads.shared").summary().count()).isEqualTo(2);
    }

    /** The reports a FilterLogEvents call reads for: two interfaces each. */
    static int reportsIn(AwsStandIn.Call call) {
        return (call.params().get("body").split("eni-", -1).length - 1) / 2;
    }

    /** The sources of a zonal gateway: each interface, its streams named from its id. */
    private static Map<String, List<String>> zonal(String... interfaces) {
        Map<String, List<String>> sources = new LinkedHashMap<>();
        for (String eni : interfaces) {
            sources.put(eni, List.of(eni));
        }
        return sources;
    }
}
