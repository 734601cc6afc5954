package dev.vpcflowlogs.recorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Many gateways clearing at once, against a stand-in that throttles like EC2 (50 + 5 DeleteFlowLogs a second): the
 * stops share DeleteFlowLogs calls as the starts share CreateFlowLogs, instead of one call for each of the few stops
 * the scheduler's threads carried at a time.
 */
class StopBurstIT extends EndToEndSupport {

    static final List<String> GATEWAYS = gateways(150, 0x5700);

    @Override
    AwsStandIn standIn() {
        return standInWith(GATEWAYS, 0x5700).throttleLikeEc2(50, 5, 100, 20);
    }

    @Test
    void gatewaysClearingTogetherShareDeleteFlowLogsCalls() {
        watch(GATEWAYS);
        // Reports read CloudWatch Logs at a few calls a second: 150 of them are not what this test is about.
        recorder.with("recorder.recording.tail", "2s")
                .with("recorder.report.enabled", false)
                .start();
        Instant t = Instant.now();
        GATEWAYS.forEach(g -> recorder.send(Events.alarm(g, t)));
        await().atMost(Duration.ofSeconds(60)).until(() -> aws.flowLogs().size() == 2 * GATEWAYS.size());
        int creates = aws.calls("CreateFlowLogs").size();

        GATEWAYS.forEach(g -> recorder.send(Events.ok(g, t.plusSeconds(1))));

        await().atMost(Duration.ofSeconds(60)).until(() -> aws.flowLogs().isEmpty());
        int deletes = aws.calls("DeleteFlowLogs").size();
        // About as many calls as the starts needed: 300 flow logs fit in one DeleteFlowLogs (1,000 ids).
        assertThat(deletes)
                .as("DeleteFlowLogs calls for %d gateways (%d CreateFlowLogs)", GATEWAYS.size(), creates)
                .isLessThanOrEqualTo(Math.max(10, creates));
        await().atMost(Duration.ofSeconds(60)).until(() -> aws.published().size() == GATEWAYS.size());
        assertThat(aws.throttled()).isZero();
    }
}
