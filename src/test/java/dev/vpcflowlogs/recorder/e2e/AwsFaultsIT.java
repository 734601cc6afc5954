package dev.vpcflowlogs.recorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EC2 throttling and failing: every recording still starts and ends, once. */
class AwsFaultsIT extends EndToEndSupport {

    static final List<String> GATEWAYS = gateways(6, 0xabc0L);

    @Override
    AwsStandIn standIn() {
        return standInWith(GATEWAYS, 0);
    }

    @Test
    void withThirtyPercentThrottledAndTenPercentFailingEveryRecordingStartsAndEnds() {
        watch(GATEWAYS);
        recorder.with("recorder.recording.max-duration", "4s")
                .with("recorder.aws.max-attempts", 3)
                .start();
        aws.failRandomly("*", 0.3, 503, "RequestLimitExceeded").failRandomly("*", 0.1, 500, "InternalError");

        Instant now = Instant.now();
        GATEWAYS.forEach(gateway -> recorder.send(Events.alarm(gateway, now)));

        await().atMost(Duration.ofSeconds(90)).until(() -> aws.published().size() == GATEWAYS.size());
        assertThat(aws.published()).allSatisfy(p -> assertThat(p.subject()).startsWith("Flow logs recorded on"));
        assertThat(aws.flowLogs()).isEmpty();
        assertThat(aws.flowLogsCreated()).isEqualTo(2 * GATEWAYS.size());
        assertThat(recorder.count("recorder.recordings", "result", "completed")).isEqualTo(GATEWAYS.size());
        long failedCalls = aws.calls().stream()
                .filter(c -> c.action().endsWith("FlowLogs") || c.action().equals("DescribeNatGateways"))
                .count();
        assertThat(failedCalls).isGreaterThan(3L * GATEWAYS.size());
    }
}
