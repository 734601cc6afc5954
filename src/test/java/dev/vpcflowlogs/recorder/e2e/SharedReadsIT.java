package dev.vpcflowlogs.recorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.report.engine.FlowRecords;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Recordings that end together, under CloudWatch Logs' quotas: their reports share FilterLogEvents calls, and each
 * notification still tells its own gateway's spike.
 */
class SharedReadsIT extends EndToEndSupport {

    static final long BASE = 0x700000;
    static final List<String> GATEWAYS = gateways(8, BASE);

    @Override
    AwsStandIn standIn() {
        return standInWith(GATEWAYS, BASE).throttleLikeLogs(5, 25);
    }

    @Test
    void reportsOfRecordingsEndingTogetherShareTheirReadsAndEachTellsItsOwnSpike() {
        watch(GATEWAYS);
        recorder.with("recorder.report.delay", "1s")
                .with("recorder.report.parallel", 4)
                .start();
        GATEWAYS.forEach(g -> recorder.send(Events.alarm(g, Instant.now())));
        await().atMost(Duration.ofSeconds(60)).until(() -> aws.flowLogs().size() == 2 * GATEWAYS.size());

        // Gateway i's client 10.0.i.5 sent (i + 1) MB to S3 through its first interface, 10.0.i.6 a little through
        // its second (an interface without records would make the report wait for its second attempt).
        FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);
        for (int i = 0; i < GATEWAYS.size(); i++) {
            List<String> interfaces = Gateways.interfaces(i, BASE);
            aws.flowLogRecords(
                    RecorderHarness.LOG_GROUP,
                    interfaces.get(0),
                    System.currentTimeMillis(),
                    records.exchange("10.0." + i + ".5", "52.216.8.1", 443, (i + 1) * 1_000_000L, 0, "S3"));
            aws.flowLogRecords(
                    RecorderHarness.LOG_GROUP,
                    interfaces.get(1),
                    System.currentTimeMillis(),
                    records.exchange("10.0." + i + ".6", "198.51.100.4", 443, 1_000, 0, null));
        }
        aws.holdBefore("FilterLogEvents");
        GATEWAYS.forEach(g -> recorder.send(Events.ok(g, Instant.now())));

        // Four reports at once: the first call is held with the reports that waited when it began (two streams each);
        // once it reads for two, or another report waits behind it, the reads are shared.
        MeterRegistry meters = recorder.bean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<AwsStandIn.Call> calls = aws.calls("FilterLogEvents");
            assertThat(calls).isNotEmpty();
            assertThat(meters.get("recorder.report.reads.waiting").gauge().value() + streamsNamed(calls.get(0)) / 2.0)
                    .as("reports waiting, and reading in the held call")
                    .isGreaterThanOrEqualTo(2.0);
        });
        aws.releaseHolds();
        await().atMost(Duration.ofSeconds(90)).until(() -> aws.published().size() == GATEWAYS.size());

        for (int i = 0; i < GATEWAYS.size(); i++) {
            String gateway = GATEWAYS.get(i);
            String client = "10.0." + i + ".5";
            String message = aws.published().stream()
                    .filter(p -> p.subject().contains(gateway))
                    .findFirst()
                    .orElseThrow()
                    .message();
            assertThat(message)
                    .as("the notification of %s", gateway)
                    .containsPattern(client.replace(".", "\\.") + " +-> 52\\.216\\.8\\.1:443")
                    .contains("Every figure above is exact.");
            for (int other = 0; other < GATEWAYS.size(); other++) {
                if (other != i) {
                    assertThat(message).doesNotContain("10.0." + other + ".5 ");
                }
            }
        }
        long readings = aws.calls("FilterLogEvents").stream()
                .filter(c -> !c.params().get("body").contains("nextToken"))
                .count();
        assertThat(readings).as("FilterLogEvents readings for 8 reports").isLessThan(GATEWAYS.size());
        assertThat(meters.get("recorder.report.reads.shared").summary().max()).isGreaterThanOrEqualTo(2);
        assertThat(aws.throttled()).as("calls CloudWatch Logs refused").isZero();
        assertThat(recorder.count("recorder.reports", "status", "complete")).isEqualTo(GATEWAYS.size());
    }

    static int streamsNamed(AwsStandIn.Call call) {
        return call.params().get("body").split("eni-", -1).length - 1;
    }
}
