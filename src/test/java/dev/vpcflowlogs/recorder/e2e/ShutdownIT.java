package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A recorder stopped as SIGTERM stops it: the message in flight finishes, and nothing is done twice. */
class ShutdownIT extends EndToEndSupport {

    @Override
    AwsStandIn standIn() {
        return AwsStandIn.start().natGateway(SAMPLE_GATEWAY, "eni-0a00000000000000a", "eni-0b00000000000000b");
    }

    @Test
    void theMessageInFlightFinishesBeforeTheRecorderStops() {
        recorder.start();
        aws.delay(Duration.ofSeconds(2));
        Instant t = Instant.now();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, t));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !aws.calls("DescribeNatGateways").isEmpty());

        recorder.stop();

        assertThat(aws.flowLogs())
                .as("the recording started before the recorder stopped")
                .hasSize(2);
        aws.clearFaults();
        recorder.start();
        recorder.send(Events.ok(SAMPLE_GATEWAY, t.plusSeconds(1)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> aws.flowLogs().isEmpty() && aws.published().size() == 1);
        assertThat(aws.calls("CreateFlowLogs").stream().filter(c -> !c.dryRun()))
                .as("the ALARM was not handled twice")
                .hasSize(1);
        assertThat(aws.flowLogsCreated()).isEqualTo(2);
    }
}
