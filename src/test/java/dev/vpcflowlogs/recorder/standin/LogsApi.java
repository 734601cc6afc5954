package dev.vpcflowlogs.recorder.standin;

import dev.vpcflowlogs.recorder.standin.AwsStandIn.ApiError;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** CloudWatch Logs, JSON 1.1: {@code X-Amz-Target: Logs_20140328.<Op>}. */
final class LogsApi {

    /** FilterLogEvents answers at most this many events a page, to make paging visible in tests. */
    static final int PAGE = 1_000;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TYPE = "application/x-amz-json-1.1";

    private LogsApi() {}

    static Response handle(AwsStandIn standIn, String action, String body) {
        JsonNode request = JSON.readTree(body.isEmpty() ? "{}" : body);
        String group = request.path("logGroupName").asString(null);
        switch (action) {
            case "CreateLogGroup" -> {
                if (group == null) {
                    throw new ApiError(400, "InvalidParameterException", "logGroupName is required");
                }
                if (standIn.logGroups.putIfAbsent(group, 0) != null) {
                    throw new ApiError(400, "ResourceAlreadyExistsException", "The specified log group already exists");
                }
                return new Response(200, TYPE, "{}");
            }
            case "PutRetentionPolicy" -> {
                if (group == null || !standIn.logGroups.containsKey(group)) {
                    throw new ApiError(400, "ResourceNotFoundException", "The specified log group does not exist.");
                }
                standIn.logGroups.put(group, request.path("retentionInDays").asInt());
                return new Response(200, TYPE, "{}");
            }
            case "PutLogEvents" -> {
                String stream = request.path("logStreamName").asString(null);
                List<LogEvent> events = new ArrayList<>();
                for (JsonNode e : request.path("logEvents")) {
                    events.add(new LogEvent(
                            e.path("timestamp").asLong(), e.path("message").asString()));
                }
                standIn.putLogEvents(group, stream, events);
                return new Response(200, TYPE, "{\"nextSequenceToken\":\"1\"}");
            }
            case "FilterLogEvents" -> {
                return filter(standIn, group, request);
            }
            case "GetLogEvents" -> {
                return get(standIn, group, request);
            }
            default ->
                throw new ApiError(400, "UnknownOperationException", "the stand-in does not implement " + action);
        }
    }

    private static Response filter(AwsStandIn standIn, String group, JsonNode request) {
        List<String> streams = new ArrayList<>();
        request.path("logStreamNames").forEach(n -> streams.add(n.asString()));
        long start = request.path("startTime").asLong(Long.MIN_VALUE);
        long end = request.path("endTime").asLong(Long.MAX_VALUE);
        int limit = Math.min(PAGE, request.path("limit").asInt(PAGE));
        int from = Integer.parseInt(request.path("nextToken").asString("0"));
        List<Map.Entry<String, LogEvent>> matching = new ArrayList<>();
        standIn.logStreams(group).forEach((stream, events) -> {
            if (streams.isEmpty() || streams.contains(stream)) {
                for (LogEvent e : events) {
                    if (e.timestamp() >= start && e.timestamp() <= end) {
                        matching.add(Map.entry(stream, e));
                    }
                }
            }
        });
        matching.sort(Comparator.comparingLong(e -> e.getValue().timestamp()));
        ObjectNode response = JSON.createObjectNode();
        ArrayNode events = response.putArray("events");
        for (Map.Entry<String, LogEvent> e :
                matching.subList(Math.min(from, matching.size()), Math.min(from + limit, matching.size()))) {
            events.addObject()
                    .put("logStreamName", e.getKey())
                    .put("timestamp", e.getValue().timestamp())
                    .put("ingestionTime", e.getValue().timestamp())
                    .put("message", e.getValue().message())
                    .put("eventId", e.getKey() + "-" + e.getValue().timestamp());
        }
        if (from + limit < matching.size()) {
            response.put("nextToken", String.valueOf(from + limit));
        }
        return new Response(200, TYPE, JSON.writeValueAsString(response));
    }

    private static Response get(AwsStandIn standIn, String group, JsonNode request) {
        List<LogEvent> all = standIn.logStreams(group)
                .getOrDefault(request.path("logStreamName").asString(), List.of());
        int from = Integer.parseInt(request.path("nextToken").asString("0").replace("f/", ""));
        int limit = Math.min(PAGE, request.path("limit").asInt(PAGE));
        ObjectNode response = JSON.createObjectNode();
        ArrayNode events = response.putArray("events");
        for (LogEvent e : all.subList(Math.min(from, all.size()), Math.min(from + limit, all.size()))) {
            events.addObject().put("timestamp", e.timestamp()).put("message", e.message());
        }
        response.put("nextForwardToken", "f/" + Math.min(from + limit, all.size()));
        return new Response(200, TYPE, JSON.writeValueAsString(response));
    }

    /** One log event. */
    public record LogEvent(long timestamp, String message) {}
}
