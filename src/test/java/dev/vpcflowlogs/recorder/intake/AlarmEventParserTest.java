package dev.vpcflowlogs.recorder.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpcflowlogs.recorder.e2e.Events;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class AlarmEventParserTest {

    final AlarmEventParser parser = new AlarmEventParser(JsonMapper.builder().build());

    @Test
    void readsTheSingleMetricAlarmSample() {
        AlarmEvent event =
                parser.parse(Events.sample("alarm-single-metric.json")).orElseThrow();

        assertThat(event.id()).isEqualTo("3c9a1f52-8d0e-4b61-a7c2-5e4f8b9d0a13");
        assertThat(event.alarmName()).isEqualTo("nat-spike-single");
        assertThat(event.state()).isEqualTo("ALARM");
        assertThat(event.stateTime()).isEqualTo(Instant.parse("2026-11-20T09:14:41.205Z"));
        assertThat(event.eventTime()).isEqualTo(Instant.parse("2026-11-20T09:14:41Z"));
        assertThat(event.natGatewayIds()).containsExactly("nat-0a1b2c3d4e5f60718");
    }

    @Test
    void findsTheGatewayInAMetricMathAlarmWhateverItsPosition() {
        AlarmEvent event = parser.parse(Events.sample("alarm-metric-math.json")).orElseThrow();

        assertThat(event.natGatewayIds()).containsExactly("nat-0a1b2c3d4e5f60718");
        assertThat(event.stateTime()).isEqualTo(Instant.parse("2026-11-20T09:14:52.877Z"));
    }

    @Test
    void readsTheOkSample() {
        AlarmEvent event = parser.parse(Events.sample("ok-single-metric.json")).orElseThrow();

        assertThat(event.state()).isEqualTo("OK");
        assertThat(event.stateTime()).isEqualTo(Instant.parse("2026-11-20T09:31:41.120Z"));
    }

    @Test
    void findsTheGatewayInThePropagatedAlarmTags() {
        String body =
                """
                {"id": "e-1", "detail-type": "CloudWatch Alarm State Change", "time": "2026-11-20T09:14:41Z",
                 "detail": {"alarmName": "custom", "state": {"value": "ALARM", "timestamp": "2026-11-20T09:14:41Z"},
                            "configuration": {"metrics": [{"id": "e1", "expression": "SUM(METRICS())"}]},
                            "alarmTags": {"nat-gateway-id": "nat-0123456789abcdef0"}}}
                """;

        assertThat(parser.parse(body).orElseThrow().natGatewayIds()).containsExactly("nat-0123456789abcdef0");
    }

    @ParameterizedTest
    @CsvSource({
        "2026-11-20T09:14:41.205+0000, 2026-11-20T09:14:41.205Z",
        "2026-11-20T09:14:41.205+00:00, 2026-11-20T09:14:41.205Z",
        "2026-11-20T09:14:41Z, 2026-11-20T09:14:41Z",
        "2026-11-20T11:14:41.5+0200, 2026-11-20T09:14:41.500Z"
    })
    void readsEveryTimestampFormCloudWatchMayUse(String text, String expected) {
        String body = Events.sample("ok-single-metric.json").replace("2026-11-20T09:31:41.120+0000", text);

        assertThat(parser.parse(body).orElseThrow().stateTime()).isEqualTo(Instant.parse(expected));
    }

    @Test
    void anotherDetailTypeIsNotAnAlarmEvent() {
        assertThat(parser.parse("{\"id\": \"x\", \"detail-type\": \"EC2 Instance State-change Notification\"}"))
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "not json at all|not-json",
                "[1, 2]|not-an-event",
                "{\"detail-type\": \"CloudWatch Alarm State Change\"}|missing-id",
                "{\"id\": \"e\"}|missing-detail-type",
                "{\"id\": \"e\", \"detail-type\": \"CloudWatch Alarm State Change\", \"detail\": {}}|missing-state",
                "{\"id\": \"e\", \"detail-type\": \"CloudWatch Alarm State Change\", \"detail\": {\"state\":"
                        + " {\"value\": \"OK\", \"timestamp\": \"yesterday\"}}}|bad-timestamp"
            })
    void rejectsMalformedBodiesWithASpecificReason(String body, String reason) {
        assertThatThrownBy(() -> parser.parse(body))
                .isInstanceOfSatisfying(MalformedEventException.class, e -> assertThat(e.reason())
                        .hasToString(reason));
    }
}
