package dev.vpcflowlogs.recorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two replicas on one PostgreSQL and one queue, every event delivered twice. */
class ReplicasIT extends EndToEndSupport {

    static final List<String> GATEWAYS = gateways(3, 0xbee0L);

    @Override
    AwsStandIn standIn() {
        return standInWith(GATEWAYS, 0x100);
    }

    @Test
    void exactlyOneFlowLogPerInterfacePerSpikeAndEachDeadlineActedOnOnce() {
        watch(GATEWAYS);
        recorder.with("recorder.recording.max-duration", "5s").with("recorder.intake.max-concurrent-messages", 4);
        recorder.start();
        recorder.startReplica();

        Instant now = Instant.now();
        for (String gateway : GATEWAYS) {
            String alarm = Events.alarm(gateway, now);
            recorder.send(alarm).send(alarm);
        }
        // One spike also ends by its OK, delivered twice as well, while the others run to their deadline.
        await().atMost(Duration.ofSeconds(30)).until(() -> aws.flowLogs().size() == 2 * GATEWAYS.size());
        String ok = Events.ok(GATEWAYS.get(0), now.plusSeconds(1));
        recorder.send(ok).send(ok);

        await().atMost(Duration.ofSeconds(60)).until(() -> aws.published().size() == GATEWAYS.size());
        assertThat(aws.flowLogs()).isEmpty();
        assertThat(aws.flowLogsCreated()).isEqualTo(2 * GATEWAYS.size());
        // Each deadline acted on once: every flow log deleted exactly once (deletes may share a call).
        List<String> deleted = aws.calls("DeleteFlowLogs").stream()
                .flatMap(c -> c.params().entrySet().stream())
                .filter(e -> e.getKey().startsWith("FlowLogId."))
                .map(java.util.Map.Entry::getValue)
                .toList();
        assertThat(deleted).hasSize(2 * GATEWAYS.size()).doesNotHaveDuplicates();
        // Each spike started once: every interface asked for once, whether starts had calls of their own or shared one.
        List<String> asked = aws.calls("CreateFlowLogs").stream()
                .filter(c -> !c.dryRun())
                .flatMap(c -> c.params().entrySet().stream())
                .filter(e -> e.getKey().startsWith("ResourceId."))
                .map(java.util.Map.Entry::getValue)
                .toList();
        assertThat(asked).hasSize(2 * GATEWAYS.size()).doesNotHaveDuplicates();
        assertThat(aws.published())
                .extracting(p -> p.subject().split(" ")[4])
                .containsExactlyInAnyOrderElementsOf(GATEWAYS);
        // Nothing more arrives once every notification went out.
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> aws.published().size() == GATEWAYS.size());
    }
}
