package dev.vpcflowlogs.recorder.standin;

import dev.vpcflowlogs.recorder.standin.Wire.ApiError;
import dev.vpcflowlogs.recorder.standin.Wire.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CloudWatch Logs, JSON 1.1: {@code X-Amz-Target: Logs_20140328.<Op>}. Each rule below names the part of the
 * CloudWatch Logs API reference (or the field report) it follows; where a document is unclear, the stricter reading.
 */
final class LogsApi {

    /** FilterLogEvents answers at most this many events a page, to make paging visible in tests. */
    static final int PAGE = 1_000;

    /** FilterLogEvents.logStreamNames: "Maximum number of 100 items". */
    static final int MAX_STREAM_NAMES = 100;

    /** DescribeLogStreams.limit: 1 to 50, 50 by default. */
    static final int MAX_STREAMS_PAGE = 50;

    /** PutRetentionPolicy.retentionInDays: "Possible values are: 1, 3, 5, 7, 14, 30, ... 3653". */
    static final Set<Integer> RETENTION_DAYS = Set.of(
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    /**
     * CreateLogGroup.logGroupName (and every logGroupName of the API): "Length Constraints: Minimum length of 1.
     * Maximum length of 512. Pattern: [\.\-_/#A-Za-z0-9]+". A name with a {@code {account}} placeholder in it is
     * refused, as CloudWatch Logs refuses it.
     */
    static final java.util.regex.Pattern GROUP_NAME = java.util.regex.Pattern.compile("[.\\-_/#A-Za-z0-9]{1,512}");

    /** CreateLogGroup.logGroupClass: "Valid Values: STANDARD | INFREQUENT_ACCESS | DELIVERY". */
    static final Set<String> CLASSES = Set.of("STANDARD", "INFREQUENT_ACCESS", "DELIVERY");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TYPE = "application/x-amz-json-1.1";

    private LogsApi() {}

    static Response handle(AwsStandIn standIn, String action, String body) {
        JsonNode request = JSON.readTree(body.isEmpty() ? "{}" : body);
        String group = request.path("logGroupName").asString(null);
        if (group != null && !GROUP_NAME.matcher(group).matches()) {
            throw new ApiError(
                    400,
                    "InvalidParameterException",
                    "1 validation error detected: Value '" + group + "' at 'logGroupName' failed to satisfy"
                            + " constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
        }
        AwsStandIn.Tenant here = standIn.tenantHere();
        switch (action) {
            case "CreateLogGroup" -> {
                if (group == null) {
                    throw new ApiError(400, "InvalidParameterException", "logGroupName is required");
                }
                String logGroupClass = request.path("logGroupClass").asString("STANDARD");
                if (!CLASSES.contains(logGroupClass)) {
                    throw new ApiError(400, "InvalidParameterException", "Invalid logGroupClass " + logGroupClass);
                }
                if (here.logGroups.putIfAbsent(group, 0) != null) {
                    throw new ApiError(400, "ResourceAlreadyExistsException", "The specified log group already exists");
                }
                Map<String, String> tags = new java.util.HashMap<>();
                request.path("tags")
                        .properties()
                        .forEach(e -> tags.put(e.getKey(), e.getValue().asString()));
                here.logGroupTags.put(group, Map.copyOf(tags));
                here.logGroupClasses.put(group, logGroupClass);
                return new Response(200, TYPE, "{}");
            }
            case "DescribeLogGroups" -> {
                return describeGroups(here, request);
            }
            case "ListTagsForResource" -> {
                return listTags(here, request.path("resourceArn").asString(null));
            }
            case "PutRetentionPolicy" -> {
                existing(standIn, group);
                int days = request.path("retentionInDays").asInt();
                if (!RETENTION_DAYS.contains(days)) {
                    throw new ApiError(
                            400,
                            "InvalidParameterException",
                            "1 validation error detected: Value '" + days
                                    + "' at 'retentionInDays' failed to satisfy constraint");
                }
                here.logGroups.put(group, days);
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
                readableByEvents(here, group, action);
                return filter(standIn, group, request);
            }
            case "StartQuery" -> {
                String queryGroup = request.path("logGroupName").asString(null);
                String id = here.insights.start(
                        standIn, request, queryGroup == null ? "STANDARD" : classOf(here, queryGroup));
                return new Response(200, TYPE, "{\"queryId\":\"" + id + "\"}");
            }
            case "GetQueryResults" -> {
                return new Response(200, TYPE, here.insights.results(request));
            }
            case "StopQuery" -> {
                return new Response(200, TYPE, here.insights.stop(request));
            }
            case "DescribeLogStreams" -> {
                return describeStreams(standIn, group, request);
            }
            case "GetLogEvents" -> {
                readableByEvents(here, group, action);
                return get(standIn, group, request);
            }
            default ->
                throw new ApiError(400, "UnknownOperationException", "the stand-in does not implement " + action);
        }
    }

    /** A log group's ARN: "arn:aws:logs:region:account:log-group:name" (the form tagging APIs take, without ":*"). */
    static String arnOf(AwsStandIn.Tenant here, String group) {
        return "arn:aws:logs:" + here.where.region() + ":" + here.where.account() + ":log-group:" + group;
    }

    /**
     * DescribeLogGroups: by {@code logGroupNamePrefix} (or all), each with {@code arn} (ending in ":*"),
     * {@code logGroupArn} (without it), {@code retentionInDays} only when the group expires, and its class.
     */
    private static Response describeGroups(AwsStandIn.Tenant here, JsonNode request) {
        String prefix = request.path("logGroupNamePrefix").asString("");
        if (!prefix.isEmpty() && !GROUP_NAME.matcher(prefix).matches()) {
            throw new ApiError(400, "InvalidParameterException", "Invalid logGroupNamePrefix " + prefix);
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode groups = response.putArray("logGroups");
        here.logGroups.keySet().stream()
                .filter(g -> g.startsWith(prefix))
                .sorted()
                .forEach(g -> {
                    ObjectNode item = groups.addObject();
                    item.put("logGroupName", g);
                    item.put("arn", arnOf(here, g) + ":*");
                    item.put("logGroupArn", arnOf(here, g));
                    item.put("creationTime", 0L);
                    item.put("storedBytes", 0L);
                    item.put("logGroupClass", classOf(here, g));
                    int days = here.logGroups.getOrDefault(g, 0);
                    if (days > 0) {
                        item.put("retentionInDays", days);
                    }
                });
        return new Response(200, TYPE, response.toString());
    }

    /**
     * ListTagsForResource: "For a log group, arn:aws:logs:Region:account-id:log-group:log-group-name" (the ARN
     * without ":*"; the stricter reading refuses the other form), ResourceNotFoundException for a group that is not.
     */
    private static Response listTags(AwsStandIn.Tenant here, String arn) {
        String prefix = arnOf(here, "");
        if (arn == null || !arn.startsWith(prefix) || arn.endsWith(":*")) {
            throw new ApiError(400, "InvalidParameterException", "Invalid resourceArn " + arn);
        }
        String group = arn.substring(prefix.length());
        if (!here.logGroups.containsKey(group)) {
            throw new ApiError(400, "ResourceNotFoundException", "The specified log group does not exist.");
        }
        ObjectNode response = JSON.createObjectNode();
        ObjectNode tags = response.putObject("tags");
        here.logGroupTags.getOrDefault(group, Map.of()).forEach(tags::put);
        return new Response(200, TYPE, response.toString());
    }

    static String classOf(AwsStandIn.Tenant here, String group) {
        return here.logGroupClasses.getOrDefault(group, "STANDARD");
    }

    /**
     * The Infrequent Access class "supports a subset of CloudWatch Logs features" (CreateLogGroup); the documents
     * found here confirm Logs Insights for it but not FilterLogEvents or GetLogEvents, so the stand-in takes the
     * stricter reading and refuses both on such a group.
     */
    private static void readableByEvents(AwsStandIn.Tenant here, String group, String action) {
        if (group != null && "INFREQUENT_ACCESS".equals(classOf(here, group))) {
            throw new ApiError(
                    400,
                    "InvalidParameterException",
                    action + " is not supported for log groups of the INFREQUENT_ACCESS class; use Logs Insights");
        }
    }

    private static void existing(AwsStandIn standIn, String group) {
        if (group == null || !standIn.tenantHere().logGroups.containsKey(group)) {
            throw new ApiError(400, "ResourceNotFoundException", "The specified log group does not exist.");
        }
    }

    /**
     * FilterLogEvents: a log group that does not exist, and any named stream that does not exist, fail the whole call
     * with ResourceNotFoundException (the second seen in the field, not stated in the reference); names and a prefix
     * together are an InvalidParameterException; at most 100 names. Pages "might only be partially full, or even
     * empty", and only a missing nextToken ends the reading: every third page here is empty, every other one half
     * full.
     */
    private static Response filter(AwsStandIn standIn, String group, JsonNode request) {
        existing(standIn, group);
        List<String> streams = new ArrayList<>();
        request.path("logStreamNames").forEach(n -> streams.add(n.asString()));
        String prefix = request.path("logStreamNamePrefix").asString(null);
        if (!streams.isEmpty() && prefix != null) {
            throw new ApiError(
                    400, "InvalidParameterException", "logStreamNames and logStreamNamePrefix cannot both be given");
        }
        if (streams.size() > MAX_STREAM_NAMES) {
            throw new ApiError(400, "InvalidParameterException", "at most 100 logStreamNames, not " + streams.size());
        }
        Map<String, List<LogEvent>> all = standIn.logStreams(group);
        for (String stream : streams) {
            if (!all.containsKey(stream)) {
                throw new ApiError(400, "ResourceNotFoundException", "The specified log stream does not exist.");
            }
        }
        long start = request.path("startTime").asLong(Long.MIN_VALUE);
        long end = request.path("endTime").asLong(Long.MAX_VALUE);
        if (!streams.isEmpty() && streams.stream().allMatch(name -> all.get(name) instanceof Generated)) {
            return filterGenerated(standIn, all, streams, start, end, request);
        }
        int limit = Math.min(PAGE, request.path("limit").asInt(PAGE));
        String[] token = request.path("nextToken").asString("0:0").split(":");
        int from = Integer.parseInt(token[0]);
        int page = Integer.parseInt(token[1]);
        List<Map.Entry<String, LogEvent>> matching = new ArrayList<>();
        all.forEach((stream, events) -> {
            boolean named = streams.isEmpty() ? prefix == null || stream.startsWith(prefix) : streams.contains(stream);
            if (named) {
                for (LogEvent e : events) {
                    if (e.timestamp() >= start && e.timestamp() <= end) {
                        matching.add(Map.entry(stream, e));
                    }
                }
            }
        });
        matching.sort(Comparator.comparingLong(e -> e.getValue().timestamp()));
        int size = page % 3 == 1 ? 0 : page % 2 == 1 ? Math.max(1, limit / 2) : limit;
        int to = Math.min(from + size, matching.size());
        ObjectNode response = JSON.createObjectNode();
        ArrayNode events = response.putArray("events");
        for (Map.Entry<String, LogEvent> e : matching.subList(Math.min(from, matching.size()), to)) {
            events.addObject()
                    .put("logStreamName", e.getKey())
                    .put("timestamp", e.getValue().timestamp())
                    .put("ingestionTime", e.getValue().timestamp())
                    .put("message", e.getValue().message())
                    .put("eventId", e.getKey() + "-" + e.getValue().timestamp());
        }
        if (to < matching.size()) {
            response.put("nextToken", to + ":" + (page + 1));
        }
        return new Response(200, TYPE, JSON.writeValueAsString(response));
    }

    /**
     * FilterLogEvents over generated streams: merged in time order from each stream's position, which the token
     * carries; full pages of {@code standIn.filterPage()} events (AWS's best case: 10,000), so that streaming is
     * measured at its fastest.
     */
    private static Response filterGenerated(
            AwsStandIn standIn,
            Map<String, List<LogEvent>> all,
            List<String> names,
            long start,
            long end,
            JsonNode request) {
        int limit = Math.min(standIn.filterPage(), request.path("limit").asInt(standIn.filterPage()));
        int[] at = new int[names.size()];
        String token = request.path("nextToken").asString(null);
        if (token == null) {
            for (int i = 0; i < names.size(); i++) {
                at[i] = firstAtOrAfter(all.get(names.get(i)), start);
            }
        } else {
            String[] parts = token.substring(2).split(",");
            for (int i = 0; i < names.size(); i++) {
                at[i] = Integer.parseInt(parts[i]);
            }
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode events = response.putArray("events");
        boolean more = false;
        for (int n = 0; n < limit; n++) {
            int best = -1;
            long bestTime = Long.MAX_VALUE;
            for (int i = 0; i < names.size(); i++) {
                GeneratedEvents stream = ((Generated) all.get(names.get(i))).events;
                if (at[i] < stream.size()) {
                    // The time alone: the message is made only for the event given.
                    long t = stream.timestamp(at[i]);
                    if (t <= end && t < bestTime) {
                        best = i;
                        bestTime = t;
                    }
                }
            }
            if (best < 0) {
                break;
            }
            LogEvent e = all.get(names.get(best)).get(at[best]++);
            events.addObject()
                    .put("logStreamName", names.get(best))
                    .put("timestamp", e.timestamp())
                    .put("ingestionTime", e.timestamp())
                    .put("message", e.message())
                    .put("eventId", names.get(best) + "-" + (at[best] - 1));
            more = true;
        }
        if (more) {
            StringBuilder next = new StringBuilder("g:");
            for (int i = 0; i < at.length; i++) {
                next.append(i == 0 ? "" : ",").append(at[i]);
            }
            response.put("nextToken", next.toString());
        }
        return new Response(200, TYPE, JSON.writeValueAsString(response));
    }

    static int firstAtOrAfter(List<LogEvent> events, long time) {
        int low = 0;
        int high = events.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            long at = events instanceof Generated g
                    ? g.events.timestamp(mid)
                    : events.get(mid).timestamp();
            if (at < time) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * DescribeLogStreams: by name order, from a prefix; "If you order the results by event time, you cannot specify
     * the logStreamNamePrefix parameter"; at most 50 a page.
     */
    private static Response describeStreams(AwsStandIn standIn, String group, JsonNode request) {
        existing(standIn, group);
        String prefix = request.path("logStreamNamePrefix").asString(null);
        String orderBy = request.path("orderBy").asString("LogStreamName");
        if ("LastEventTime".equals(orderBy) && prefix != null) {
            throw new ApiError(
                    400, "InvalidParameterException", "Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        int limit = request.path("limit").asInt(MAX_STREAMS_PAGE);
        if (limit < 1 || limit > MAX_STREAMS_PAGE) {
            throw new ApiError(400, "InvalidParameterException", "limit must be 1 to 50, not " + limit);
        }
        List<String> names = standIn.logStreams(group).keySet().stream()
                .filter(name -> prefix == null || name.startsWith(prefix))
                .sorted()
                .toList();
        int from = Integer.parseInt(request.path("nextToken").asString("0"));
        ObjectNode response = JSON.createObjectNode();
        ArrayNode streams = response.putArray("logStreams");
        Map<String, List<LogEvent>> all = standIn.logStreams(group);
        for (String name : names.subList(Math.min(from, names.size()), Math.min(from + limit, names.size()))) {
            List<LogEvent> events = all.get(name);
            ObjectNode stream = streams.addObject()
                    .put("logStreamName", name)
                    .put("creationTime", events.isEmpty() ? 0 : events.get(0).timestamp())
                    .put("arn", "arn:aws:logs:us-east-1:123456789012:log-group:" + group + ":log-stream:" + name)
                    .put("storedBytes", 0);
            if (!events.isEmpty()) {
                stream.put("firstEventTimestamp", events.get(0).timestamp());
            }
        }
        if (from + limit < names.size()) {
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

    /** A stream of {@link GeneratedEvents}, as the stand-in's operations read a stream. */
    static final class Generated extends java.util.AbstractList<LogEvent> implements java.util.RandomAccess {
        final GeneratedEvents events;

        Generated(GeneratedEvents events) {
            this.events = events;
        }

        @Override
        public LogEvent get(int i) {
            return new LogEvent(events.timestamp(i), events.message(i));
        }

        @Override
        public int size() {
            return events.size();
        }
    }
}
