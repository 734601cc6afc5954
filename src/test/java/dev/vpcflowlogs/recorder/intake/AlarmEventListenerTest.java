package dev.vpcflowlogs.recorder.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.e2e.Events;
import dev.vpcflowlogs.recorder.recording.AlarmSignal;
import dev.vpcflowlogs.recorder.recording.AlarmSignal.AlarmState;
import dev.vpcflowlogs.recorder.recording.Reason;
import dev.vpcflowlogs.recorder.recording.Recordings;
import dev.vpcflowlogs.recorder.recording.SignalOutcome;
import dev.vpcflowlogs.recorder.recording.Verdict;
import dev.vpcflowlogs.recorder.watch.WatchedGateways;
import io.awspring.cloud.sqs.listener.SqsHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.support.MessageBuilder;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The intake's routing: each message to the watched gateways it names, in exactly one counted outcome. */
class AlarmEventListenerTest {

    static final String GW = TestProperties.GATEWAY;

    final List<AlarmSignal> handed = new ArrayList<>();
    SignalOutcome answer = new SignalOutcome(Verdict.ACTED, Reason.RECORDING_STARTED);
    RuntimeException refusal;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final DeadLetterPolicy deadLetters = new DeadLetterPolicy();

    final Recordings recordings = new Recordings() {
        @Override
        public SignalOutcome handle(AlarmSignal signal) {
            handed.add(signal);
            if (refusal != null) {
                throw refusal;
            }
            return answer;
        }

        @Override
        public int endUnwatched(Predicate<String> watched) {
            return 0;
        }
    };

    AlarmEventListener listener(RecorderProperties properties) {
        return new AlarmEventListener(
                new AlarmEventParser(JsonMapper.builder().build()),
                recordings,
                new WatchedGateways(properties, TestProperties.places(), meters),
                meters,
                Clock.systemUTC(),
                deadLetters,
                TestProperties.places());
    }

    final AlarmEventListener listener = listener(TestProperties.defaults());

    static org.springframework.messaging.Message<String> message(String body, int receiveCount) {
        return MessageBuilder.withPayload(body)
                .setHeader(SqsHeaders.SQS_RAW_MESSAGE_ID_HEADER, "m-1")
                .setHeader(
                        SqsHeaders.MessageSystemAttributes.SQS_APPROXIMATE_RECEIVE_COUNT, String.valueOf(receiveCount))
                .build();
    }

    double count(String outcome, String reason) {
        return meters.find("recorder.events").tags("outcome", outcome, "reason", reason).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    @Test
    void handsAWatchedGatewaysAlarmToTheRecordingsAndCountsWhatTheyDid() {
        Instant at = Instant.parse("2026-11-20T09:14:41.205Z");
        listener.onMessage(message(Events.alarm(GW, at), 1));

        assertThat(handed).singleElement().satisfies(signal -> {
            assertThat(signal.gatewayId()).isEqualTo(GW);
            assertThat(signal.state()).isEqualTo(AlarmState.ALARM);
            assertThat(signal.stateTime()).isEqualTo(at);
        });
        assertThat(count("acted", "recording-started")).isEqualTo(1);
    }

    @Test
    void aGatewayNotWatchedAndAnotherDetailTypeAreIgnoredWithoutAnySignal() {
        listener.onMessage(message(Events.alarm("nat-0fffffffffffffff0", Instant.now()), 1));
        listener.onMessage(message("{\"id\":\"x\",\"detail-type\":\"EC2 Instance State-change Notification\"}", 1));

        assertThat(handed).isEmpty();
        assertThat(count("ignored", "gateway-not-watched")).isEqualTo(1);
        assertThat(count("ignored", "other-detail-type")).isEqualTo(1);
    }

    @Test
    void aManagedAlarmsNameMapsItToItsGatewayWhenItsMetricsNameNone() {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode event = (ObjectNode) json.readTree(Events.mathAlarm(GW, Instant.now()));
        ObjectNode detail = (ObjectNode) event.get("detail");
        detail.put("alarmName", "vpc-flowlogs-recorder-" + GW);
        ArrayNode metrics = (ArrayNode) detail.get("configuration").get("metrics");
        metrics.remove(2);
        metrics.remove(1);

        listener.onMessage(message(json.writeValueAsString(event), 1));

        assertThat(handed).extracting(AlarmSignal::gatewayId).containsExactly(GW);
    }

    @Test
    void insufficientDataIsIgnored() {
        listener.onMessage(message(
                Events.alarm(GW, Instant.now()).replace("\"value\":\"ALARM\"", "\"value\":\"INSUFFICIENT_DATA\""), 1));

        assertThat(handed).isEmpty();
        assertThat(count("ignored", "insufficient-data")).isEqualTo(1);
    }

    @Test
    void aMalformedMessageIsRefusedCountedAndOnItsLastReceiveCountedAsDeadLettered() {
        deadLetters.maxReceiveCount(3);

        assertThatThrownBy(() -> listener.onMessage(message("not json", 1)))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> listener.onMessage(message("not json", 3)))
                .isInstanceOf(MalformedEventException.class);

        assertThat(count("malformed", "not-json")).isEqualTo(2);
        assertThat(meters.find("recorder.events.dead_lettered").counters())
                .singleElement()
                .satisfies(c -> assertThat(c.count()).isEqualTo(1));
    }

    @Test
    void aSignalTheRecordingsCannotTakeNowLeavesTheMessageForARetry() {
        refusal = new org.springframework.dao.DataAccessResourceFailureException("the store is down");

        assertThatThrownBy(() -> listener.onMessage(message(Events.alarm(GW, Instant.now()), 1)))
                .isSameAs(refusal);
        assertThat(count("transient", "DataAccessResourceFailureException")).isEqualTo(1);
    }

    @Test
    void untilTheTaggedGatewaysAreKnownAnUnlistedGatewaysEventWaits() {
        RecorderProperties base = TestProperties.defaults();
        RecorderProperties discovering = new RecorderProperties(
                base.queue(),
                base.natGateways(),
                base.alarms(),
                new RecorderProperties.Discovery(Map.of("team", "sre"), Duration.ofMinutes(5)),
                base.recording(),
                base.flowLogs(),
                base.notifications(),
                base.intake(),
                base.report(),
                base.reconciler(),
                base.aws(),
                base.accounts(),
                base.memberRoleArn(),
                base.regions(),
                base.console(),
                base.preflight());
        AlarmEventListener waiting = listener(discovering);

        assertThatThrownBy(() -> waiting.onMessage(message(Events.alarm("nat-0ffffffffffffff02", Instant.now()), 1)))
                .isInstanceOf(AlarmEventListener.DiscoveryPendingException.class);
        assertThat(count("transient", "discovery-pending")).isEqualTo(1);
        waiting.onMessage(message(Events.alarm(GW, Instant.now()), 1));
        assertThat(handed).extracting(AlarmSignal::gatewayId).containsExactly(GW);
    }
}
