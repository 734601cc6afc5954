package dev.vpcflowlogs.recorder.standin;

import dev.vpcflowlogs.recorder.standin.Wire.ApiError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * CloudWatch Logs Insights in one account and region, as strict as the CloudWatch Logs API reference (StartQuery,
 * GetQueryResults, StopQuery) and the user guide's quotas: exactly one of logGroupName, logGroupNames (at most 50) or
 * logGroupIdentifiers; startTime and endTime in epoch seconds (a millisecond value is refused), start not after end;
 * a query string of at most 10,000 characters; limit 1 to 10,000 (1,000 when not given); ResourceNotFoundException
 * for a group that does not exist; MalformedQueryException for a query the stand-in cannot run; no query on a
 * Delivery-class group; LimitExceededException past 30 queries scheduled or running (the API reference's quota, the
 * lower of the documents'). A query goes Scheduled, Running, then Complete (or Cancelled by StopQuery, or Failed when
 * a test says so), and answers rows of {@code {field, value}} with its statistics.
 */
final class InsightsApi {

    static final int MAX_ROWS = 10_000;
    static final int DEFAULT_LIMIT = 1_000;
    static final int MAX_QUERY_LENGTH = 10_000;
    static final int MAX_GROUPS = 50;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ExecutorService RUNNERS = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "stand-in-insights");
        t.setDaemon(true);
        return t;
    });

    private record Query(
            String id, String group, long startMillis, long endMillis, InsightsLanguage language, int limit) {}

    private static final class State {
        volatile String status = "Scheduled";
        volatile List<Map<String, String>> rows = List.of();
        volatile long scanned;
        volatile long bytesScanned;
        volatile long matched;
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final List<String> started = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> stopped = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile int concurrency = 30;
    /** Queries that end Failed instead of Complete, for tests. */
    final AtomicInteger failNext = new AtomicInteger();
    /** How long a query waits before it runs, for tests of the deadline. */
    volatile Duration delay = Duration.ZERO;

    String start(AwsStandIn standIn, JsonNode request, String groupClass) {
        int names = (request.hasNonNull("logGroupName") ? 1 : 0)
                + (request.hasNonNull("logGroupNames") ? 1 : 0)
                + (request.hasNonNull("logGroupIdentifiers") ? 1 : 0);
        if (names != 1) {
            throw new ApiError(
                    400,
                    "InvalidParameterException",
                    "exactly one of logGroupName, logGroupNames or logGroupIdentifiers is required");
        }
        if (!request.hasNonNull("logGroupName")) {
            throw new ApiError(400, "InvalidParameterException", "the stand-in takes logGroupName only");
        }
        String group = request.path("logGroupName").asString();
        if (!standIn.tenantHere().logGroups.containsKey(group)) {
            throw new ApiError(400, "ResourceNotFoundException", "Log group '" + group + "' does not exist");
        }
        if ("DELIVERY".equals(groupClass)) {
            throw new ApiError(400, "InvalidParameterException", "Log groups of the DELIVERY class cannot be queried");
        }
        if (!request.has("startTime") || !request.has("endTime")) {
            throw new ApiError(400, "InvalidParameterException", "startTime and endTime are required");
        }
        long start = request.path("startTime").asLong();
        long end = request.path("endTime").asLong();
        long now = System.currentTimeMillis() / 1000;
        if (start > now + 86_400L * 365 || end > now + 86_400L * 365 || start < 0) {
            throw new ApiError(
                    400,
                    "InvalidParameterException",
                    "startTime and endTime are the number of seconds since Jan 1, 1970, 00:00:00 UTC");
        }
        if (start > end) {
            throw new ApiError(400, "InvalidParameterException", "End time should not be before the start time");
        }
        String text = request.path("queryString").asString("");
        if (text.isEmpty() || text.length() > MAX_QUERY_LENGTH) {
            throw new ApiError(
                    400,
                    "InvalidParameterException",
                    "queryString must be 1 to 10000 characters, not " + text.length());
        }
        int limit = request.path("limit").asInt(DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_ROWS) {
            throw new ApiError(400, "InvalidParameterException", "limit must be 1 to 10000, not " + limit);
        }
        InsightsLanguage language;
        try {
            language = InsightsLanguage.parse(text);
        } catch (InsightsLanguage.Malformed | IllegalArgumentException e) {
            throw new ApiError(400, "MalformedQueryException", e.getMessage());
        }
        long active = states.values().stream()
                .filter(s -> s.status.equals("Scheduled") || s.status.equals("Running"))
                .count();
        if (active >= concurrency) {
            throw new ApiError(
                    400,
                    "LimitExceededException",
                    "Account maximum query concurrency limit of [" + concurrency + "] reached");
        }
        String id = UUID.randomUUID().toString();
        State state = new State();
        states.put(id, state);
        started.add(text);
        Map<String, List<LogsApi.LogEvent>> streams = standIn.logStreams(group);
        Query query = new Query(id, group, start * 1000, end * 1000 + 999, language, Math.min(limit, language.limit()));
        boolean fail = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        RUNNERS.submit(() -> run(query, state, streams, fail));
        return id;
    }

    private void run(Query q, State state, Map<String, List<LogsApi.LogEvent>> streams, boolean fail) {
        if (fail) {
            state.status = "Failed";
            return;
        }
        long until = System.nanoTime() + delay.toNanos();
        // Waits as a scheduled query does, ending early when stopped (the runners are shared by every stand-in).
        while (System.nanoTime() < until && state.status.equals("Scheduled")) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        synchronized (state) {
            if (!state.status.equals("Scheduled")) {
                return;
            }
            state.status = "Running";
        }
        long[] scanned = new long[2];
        Iterable<Object[]> events = () -> new Iterator<>() {
            final Iterator<Map.Entry<String, List<LogsApi.LogEvent>>> s =
                    streams.entrySet().iterator();
            Iterator<LogsApi.LogEvent> e = java.util.Collections.emptyIterator();
            String stream = "";
            Object[] next = advance();

            private Object[] advance() {
                while (true) {
                    while (e.hasNext()) {
                        LogsApi.LogEvent event = e.next();
                        if (event.timestamp() >= q.startMillis() && event.timestamp() <= q.endMillis()) {
                            scanned[0]++;
                            scanned[1] += event.message().length();
                            return new Object[] {event.timestamp(), event.message(), stream};
                        }
                    }
                    if (!s.hasNext() || !state.status.equals("Running")) {
                        return null;
                    }
                    var entry = s.next();
                    stream = entry.getKey();
                    e = entry.getValue().iterator();
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Object[] next() {
                Object[] current = next;
                next = advance();
                return current;
            }
        };
        InsightsLanguage.Result result = q.language().run(events);
        List<Map<String, String>> rows = result.rows();
        state.rows = List.copyOf(rows.subList(0, Math.min(rows.size(), q.limit())));
        state.scanned = scanned[0];
        state.bytesScanned = scanned[1];
        state.matched = result.matched();
        synchronized (state) {
            if (state.status.equals("Running")) {
                state.status = "Complete";
            }
        }
    }

    String results(JsonNode request) {
        State state = states.get(request.path("queryId").asString(""));
        if (state == null) {
            throw new ApiError(400, "ResourceNotFoundException", "Query does not exist");
        }
        ObjectNode response = JSON.createObjectNode();
        String status = state.status;
        response.put("status", status);
        ArrayNode results = response.putArray("results");
        if (status.equals("Complete")) {
            for (Map<String, String> row : state.rows) {
                ArrayNode fields = results.addArray();
                row.forEach((k, v) -> fields.addObject().put("field", k).put("value", v));
            }
        }
        response.putObject("statistics")
                .put("recordsMatched", (double) state.matched)
                .put("recordsScanned", (double) state.scanned)
                .put("bytesScanned", (double) state.bytesScanned);
        return JSON.writeValueAsString(response);
    }

    String stop(JsonNode request) {
        String id = request.path("queryId").asString("");
        State state = states.get(id);
        if (state == null) {
            throw new ApiError(400, "ResourceNotFoundException", "Query does not exist");
        }
        synchronized (state) {
            if (!state.status.equals("Scheduled") && !state.status.equals("Running")) {
                throw new ApiError(400, "InvalidParameterException", "Query " + id + " is not running");
            }
            state.status = "Cancelled";
        }
        stopped.add(id);
        return "{\"success\":true}";
    }

    /** Queries scheduled or running now. */
    long running() {
        return states.values().stream()
                .filter(s -> s.status.equals("Scheduled") || s.status.equals("Running"))
                .count();
    }

    List<String> started() {
        return List.copyOf(started);
    }

    List<String> stopped() {
        return List.copyOf(stopped);
    }
}
