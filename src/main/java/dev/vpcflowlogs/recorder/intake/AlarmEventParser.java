package dev.vpcflowlogs.recorder.intake;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the EventBridge event that an SQS target receives as its body. The NAT gateway is looked for in every
 * metric's {@code NatGatewayId} dimension and in the {@code nat-gateway-id} alarm tag, never by position.
 */
@Component
class AlarmEventParser {

    static final String DETAIL_TYPE = "CloudWatch Alarm State Change";

    /** CloudWatch writes {@code 2026-03-02T10:15:40.516+0000}; ISO forms with {@code Z} or {@code +00:00} also pass. */
    private static final DateTimeFormatter STATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendPattern("HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH:MM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHMM", "Z")
            .optionalEnd()
            .toFormatter();

    private final JsonMapper json;

    AlarmEventParser(JsonMapper json) {
        this.json = json;
    }

    /**
     * @return the event, or empty when it is valid JSON of another detail-type
     * @throws MalformedEventException when the body is not such an event at all
     */
    Optional<AlarmEvent> parse(String body) {
        JsonNode root;
        try {
            root = json.readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            throw new MalformedEventException(IntakeReason.NOT_JSON, "the body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException(IntakeReason.NOT_AN_EVENT, "the body is not a JSON object");
        }
        String id = text(root, "id");
        String detailType = text(root, "detail-type");
        if (id == null) {
            throw new MalformedEventException(IntakeReason.MISSING_ID, "the event has no id");
        }
        if (detailType == null) {
            throw new MalformedEventException(IntakeReason.MISSING_DETAIL_TYPE, "event " + id + " has no detail-type");
        }
        if (!DETAIL_TYPE.equals(detailType)) {
            return Optional.empty();
        }
        JsonNode detail = root.path("detail");
        JsonNode state = detail.path("state");
        String value = text(state, "value");
        String timestamp = text(state, "timestamp");
        if (value == null || timestamp == null) {
            throw new MalformedEventException(
                    IntakeReason.MISSING_STATE, "event " + id + " has no detail.state.value or detail.state.timestamp");
        }
        return Optional.of(new AlarmEvent(
                id,
                text(detail, "alarmName"),
                value,
                instant(timestamp, id, "detail.state.timestamp"),
                Optional.ofNullable(text(root, "time"))
                        .map(t -> instant(t, id, "time"))
                        .orElse(null),
                natGatewayIds(detail),
                text(root, "account"),
                text(root, "region")));
    }

    private static List<String> natGatewayIds(JsonNode detail) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode metric : detail.path("configuration").path("metrics")) {
            JsonNode dimensions = metric.path("metricStat").path("metric").path("dimensions");
            Optional.ofNullable(text(dimensions, "NatGatewayId")).ifPresent(ids::add);
        }
        Optional.ofNullable(text(detail.path("alarmTags"), "nat-gateway-id")).ifPresent(ids::add);
        return List.copyOf(ids);
    }

    private static Instant instant(String text, String eventId, String field) {
        try {
            return OffsetDateTime.parse(text, STATE_TIME).toInstant();
        } catch (DateTimeException e) {
            throw new MalformedEventException(
                    IntakeReason.BAD_TIMESTAMP, "event " + eventId + " has an unreadable " + field + " '" + text + "'");
        }
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isString() || value.asString().isBlank() ? null : value.asString();
    }
}
