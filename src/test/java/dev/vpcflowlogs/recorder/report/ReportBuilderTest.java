package dev.vpcflowlogs.recorder.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.MutableClock;
import dev.vpcflowlogs.recorder.TestDatabase;
import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.recording.GatewayMode;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingState;
import dev.vpcflowlogs.recorder.recording.StopReason;
import dev.vpcflowlogs.recorder.report.engine.FlowRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import tools.jackson.databind.json.JsonMapper;

/** A report is made once records could have arrived: an interface silent at the first look gets a second one. */
class ReportBuilderTest {

    static final Instant END = Instant.parse("2026-11-20T09:30:00Z");

    final TestDatabase database = TestDatabase.h2().endedRecording("r1", END);
    final MutableClock clock = new MutableClock(END.plus(Duration.ofMinutes(5)));
    final ThreadPoolTaskExecutor readers = new ThreadPoolTaskExecutor();
    final FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);
    /** What each interface has delivered so far, by interface. */
    final Map<String, List<String>> delivered = new LinkedHashMap<>();

    RuntimeException readFailure;
    final List<Map<String, List<String>>> reads = new ArrayList<>();

    final FlowLogSource source = (place, group, prefixes, from, to, consumer) -> {
        reads.add(prefixes);
        if (readFailure != null) {
            throw readFailure;
        }
        Map<String, FlowLogSource.Delivered> bySource = new LinkedHashMap<>();
        for (String source : prefixes.keySet()) {
            List<String> lines = delivered.get(source);
            if (lines == null) {
                bySource.put(source, new FlowLogSource.Delivered(List.of(), 0));
                continue;
            }
            lines.forEach(line -> consumer.accept(from.toEpochMilli(), line));
            bySource.put(source, new FlowLogSource.Delivered(List.of(source + "-all"), lines.size()));
        }
        return new FlowLogSource.Delivery(bySource);
    };

    final ReportBuilder builder;

    /** A VPC nobody's addresses are known in, in one zone. */
    final NetworkInterfaces interfaces = new NetworkInterfaces() {
        @Override
        public GatewayNetwork networkOf(dev.vpcflowlogs.recorder.config.Place place, String natGatewayId) {
            return new GatewayNetwork("vpc-0123456789abcdef0", List.of("us-east-1a"));
        }

        @Override
        public List<AddressOwner> everyAddressOf(dev.vpcflowlogs.recorder.config.Place place, String vpcId, int limit) {
            return List.of();
        }

        @Override
        public List<AddressOwner> holding(
                dev.vpcflowlogs.recorder.config.Place place, String vpcId, java.util.Collection<String> addresses) {
            return List.of();
        }
    };

    ReportBuilderTest() {
        readers.initialize();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        JsonMapper json = JsonMapper.builder().build();
        RecordReader reader = new RecordReader(
                source,
                (place, group, queries, from, to, deadline) -> {
                    throw new AssertionError("a small recording is streamed");
                },
                (place, group, from, to) -> new LogGroupVolume.Volume(LogGroupVolume.Volume.STANDARD, 10L, 1_000L),
                TestProperties.defaults(),
                TestProperties.places(),
                readers,
                clock,
                meters);
        builder = new ReportBuilder(
                reader,
                new ReportStore(database.jdbc()),
                TestProperties.defaults(),
                json,
                clock,
                meters,
                interfaces,
                (place, gateway, last) -> 0,
                new OwnerSnapshots(interfaces, database.jdbc(), json, clock, meters));
    }

    @AfterEach
    void close() {
        readers.shutdown();
        database.close();
    }

    static Recording completed() {
        return new Recording(
                "r1",
                "nat-0a1b2c3d4e5f60718",
                Place.home("us-east-1"),
                RecordingState.COMPLETED,
                "e1",
                END.minusSeconds(601),
                END.minusSeconds(600),
                END.minusSeconds(120),
                END.plusSeconds(300),
                END,
                null,
                StopReason.ALARM_CLEARED,
                null,
                GatewayMode.ZONAL,
                List.of("eni-a", "eni-b"),
                List.of("fl-1", "fl-2"),
                List.of(),
                0,
                List.of(),
                null,
                null,
                4);
    }

    @Test
    void aReportWhereEveryInterfaceDeliveredIsFinalAtOnce() {
        delivered.put("eni-a", records.exchange("10.0.1.5", "52.216.8.1", 443, 1_000, 900_000, "S3"));
        delivered.put("eni-b", records.exchange("10.0.1.6", "203.0.113.9", 443, 500, 8_000, null));

        ReportOutcome outcome = builder.reportOf(completed());

        assertThat(outcome).isInstanceOfSatisfying(ReportOutcome.Ready.class, ready -> {
            assertThat(ready.report().status()).isEqualTo(StoredReport.Status.COMPLETE);
            assertThat(ready.report().summary()).contains("10.0.1.5").doesNotContain("Nothing from");
        });
        assertThat(reads).hasSize(1);
    }

    @Test
    void anInterfaceSilentAtTheFirstLookIsLookedAtOnceMoreThenNamedAsSuspicious() {
        delivered.put("eni-a", records.exchange("10.0.1.5", "52.216.8.1", 443, 1_000, 900_000, "S3"));

        ReportOutcome first = builder.reportOf(completed());

        assertThat(first).isInstanceOfSatisfying(ReportOutcome.Later.class, later -> {
            assertThat(later.at()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
            assertThat(later.why()).contains("eni-b");
        });

        clock.advance(Duration.ofMinutes(5));
        ReportOutcome second = builder.reportOf(completed());

        assertThat(second).isInstanceOfSatisfying(ReportOutcome.Ready.class, ready -> {
            assertThat(ready.report().status()).isEqualTo(StoredReport.Status.COMPLETE);
            assertThat(ready.report().attempts()).isEqualTo(2);
            assertThat(ready.report().summary())
                    .containsPattern("Nothing from +eni-b \\(no log stream\\)")
                    .containsPattern("Suspicious +eni-b delivered nothing although its gateway was busy")
                    .contains("10.0.1.5");
        });
        assertThat(builder.reportOf(completed()))
                .as("final: not made a third time")
                .isEqualTo(second);
        assertThat(reads).hasSize(2);
    }

    @Test
    void recordsThatArriveBeforeTheSecondLookAreInTheReport() {
        ReportOutcome first = builder.reportOf(completed());
        assertThat(first).isInstanceOf(ReportOutcome.Later.class);

        delivered.put("eni-a", records.exchange("10.0.1.5", "52.216.8.1", 443, 1_000, 900_000, "S3"));
        delivered.put("eni-b", records.exchange("10.0.1.6", "203.0.113.9", 443, 500, 8_000, null));
        ReportOutcome second = builder.reportOf(completed());

        assertThat(second).isInstanceOfSatisfying(ReportOutcome.Ready.class, ready -> assertThat(
                        ready.report().summary())
                .contains("10.0.1.5", "10.0.1.6")
                .doesNotContain("Nothing from"));
    }

    @Test
    void recordsThatCannotBeReadAreTriedOnceMoreThenTheReportSaysWhy() {
        readFailure = new IllegalStateException("FilterLogEvents failed: ServiceUnavailableException: busy");

        assertThat(builder.reportOf(completed())).isInstanceOf(ReportOutcome.Later.class);
        ReportOutcome second = builder.reportOf(completed());

        assertThat(second).isInstanceOfSatisfying(ReportOutcome.Ready.class, ready -> {
            assertThat(ready.report().status()).isEqualTo(StoredReport.Status.FAILED);
            assertThat(ready.report().detail()).contains("ServiceUnavailableException");
        });
    }
}
