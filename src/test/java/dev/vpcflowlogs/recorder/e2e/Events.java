package dev.vpcflowlogs.recorder.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Alarm events built from the sample events in {@code src/test/resources/events} (copies of
 * {@code shared/reference/events}): a fresh event id, the gateway and the state time changed, all else as AWS sends it.
 */
public final class Events {

    public static final String SAMPLE_GATEWAY = "nat-0a1b2c3d4e5f60718";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter CLOUDWATCH =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    private Events() {}

    public static String sample(String name) {
        try (InputStream in = Events.class.getResourceAsStream("/events/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("no sample event " + name, e);
        }
    }

    /** The single-metric ALARM sample for {@code gatewayId} at {@code stateTime}, with a new event id. */
    public static String alarm(String gatewayId, Instant stateTime) {
        return vary(
                "alarm-single-metric.json",
                gatewayId,
                stateTime,
                UUID.randomUUID().toString());
    }

    /** The metric-math ALARM sample (the gateway in the second and third metric). */
    public static String mathAlarm(String gatewayId, Instant stateTime) {
        return vary(
                "alarm-metric-math.json",
                gatewayId,
                stateTime,
                UUID.randomUUID().toString());
    }

    public static String ok(String gatewayId, Instant stateTime) {
        return vary(
                "ok-single-metric.json", gatewayId, stateTime, UUID.randomUUID().toString());
    }

    /** An event as the alarm of another account and region sends it (through the organization's event bus). */
    public static String from(String event, String account, String region) {
        ObjectNode node = (ObjectNode) JSON.readTree(event);
        node.put("account", account);
        node.put("region", region);
        String alarmArn = "arn:aws:cloudwatch:" + region + ":" + account + ":alarm:"
                + node.path("detail").path("alarmName").asString();
        node.putArray("resources").add(alarmArn);
        return JSON.writeValueAsString(node);
    }

    public static String vary(String sample, String gatewayId, Instant stateTime, String eventId) {
        ObjectNode event = (ObjectNode) JSON.readTree(sample(sample));
        event.put("id", eventId);
        event.put(
                "time",
                stateTime.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        ObjectNode detail = (ObjectNode) event.get("detail");
        ((ObjectNode) detail.get("state")).put("timestamp", CLOUDWATCH.format(stateTime));
        for (JsonNode metric : detail.get("configuration").get("metrics")) {
            JsonNode dimensions = metric.path("metricStat").path("metric").path("dimensions");
            if (dimensions instanceof ObjectNode d && d.has("NatGatewayId")) {
                d.put("NatGatewayId", gatewayId);
            }
        }
        return JSON.writeValueAsString(event);
    }
}
