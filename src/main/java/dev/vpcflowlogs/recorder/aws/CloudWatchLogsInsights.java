package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.report.FlowLogQueries;
import dev.vpcflowlogs.recorder.report.FlowLogQueries.QueryFailed.Kind;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LimitExceededException;
import software.amazon.awssdk.services.cloudwatchlogs.model.MalformedQueryException;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatus;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;

/**
 * Runs Logs Insights queries (StartQuery, GetQueryResults, StopQuery) on the thread that asks, at most
 * {@code recorder.report.insights.concurrent} at once per account and region (every report of the recorder shares
 * them), the calls at most {@code recorder.report.reads} a second. A query refused with LimitExceededException (others
 * in the account use the quota) is started again at the next poll, for half the time left at most. Whatever ends the wait early (a
 * failed query, the deadline, an interruption) stops every query still running: nothing is left scanning.
 */
@Component
class CloudWatchLogsInsights implements FlowLogQueries {

    private static final Logger log = LoggerFactory.getLogger(CloudWatchLogsInsights.class);

    private final AwsClients clients;
    private final AwsErrors errors;
    private final Clock clock;
    private final int perSecond;
    private final int concurrent;
    private final Duration poll;
    private final Map<Place, Semaphore> slots = new ConcurrentHashMap<>();
    private final Map<Place, Bucket> calls = new ConcurrentHashMap<>();

    CloudWatchLogsInsights(AwsClients clients, AwsErrors errors, Clock clock, RecorderProperties properties) {
        this.clients = clients;
        this.errors = errors;
        this.clock = clock;
        this.perSecond = properties.report().reads();
        this.concurrent = properties.report().insights().concurrent();
        this.poll = properties.report().insights().poll();
    }

    /** One query on its way. */
    private static final class Query {
        final int index;
        final String text;

        @Nullable
        String id;

        @Nullable
        Answer answer;

        Query(int index, String text) {
            this.index = index;
            this.text = text;
        }
    }

    @Override
    public List<Answer> run(
            Place place, String logGroup, List<String> queries, Instant from, Instant to, Instant deadline) {
        CloudWatchLogsClient logs = clients.logs(place);
        Semaphore slots = this.slots.computeIfAbsent(place, p -> new Semaphore(concurrent, true));
        List<Query> pending = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            pending.add(new Query(i, queries.get(i)));
        }
        List<Query> running = new ArrayList<>();
        @Nullable Answer[] answers = new Answer[queries.size()];
        long start = from.getEpochSecond();
        // Both ends are whole seconds, included: the end rounds up so the last millisecond is read.
        long end = to.getEpochSecond() + (to.getNano() > 0 ? 1 : 0);
        String throttled = null;
        Instant began = clock.instant();
        // Throttled for half the time left, the queries give way: streaming may still read the records in the rest.
        Instant patience = began.plus(Duration.between(began, deadline).dividedBy(2));
        try {
            while (!pending.isEmpty() || !running.isEmpty()) {
                while (!pending.isEmpty() && slots.tryAcquire()) {
                    Query q = pending.get(0);
                    try {
                        q.id = call(
                                        place,
                                        "StartQuery",
                                        () -> logs.startQuery(r -> r.logGroupName(logGroup)
                                                .startTime(start)
                                                .endTime(end)
                                                .queryString(q.text)
                                                .limit(ROW_LIMIT)))
                                .queryId();
                        pending.remove(0);
                        running.add(q);
                    } catch (LimitExceededException e) {
                        slots.release();
                        throttled = message(e);
                        break;
                    } catch (MalformedQueryException | InvalidParameterException e) {
                        slots.release();
                        errors.count(place, "StartQuery", AwsErrors.codeOf(e));
                        throw new QueryFailed(Kind.REFUSED, "Logs Insights refused a query: " + message(e), e);
                    } catch (RuntimeException e) {
                        slots.release();
                        throw e;
                    }
                }
                Instant now = clock.instant();
                if (throttled != null && running.isEmpty() && now.isAfter(patience)) {
                    throw new QueryFailed(
                            Kind.THROTTLED,
                            "Logs Insights refused to start more queries for half the report's time: " + throttled);
                }
                if (now.isAfter(deadline)) {
                    throw new QueryFailed(
                            Kind.TIMED_OUT,
                            "Logs Insights had not answered " + (pending.size() + running.size()) + " of "
                                    + queries.size() + " queries by the deadline");
                }
                Thread.sleep(poll.toMillis());
                for (Query q : List.copyOf(running)) {
                    if (poll(place, logs, q)) {
                        running.remove(q);
                        slots.release();
                        answers[q.index] = q.answer;
                    }
                }
            }
            List<Answer> all = new ArrayList<>(answers.length);
            for (Answer a : answers) {
                all.add(java.util.Objects.requireNonNull(a));
            }
            return all;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryFailed(Kind.TIMED_OUT, "reading by Logs Insights was interrupted", e);
        } finally {
            for (Query q : running) {
                stop(place, logs, q);
                slots.release();
            }
        }
    }

    /** True once the query is complete; a query that ended otherwise fails the whole run. */
    private boolean poll(Place place, CloudWatchLogsClient logs, Query q) {
        GetQueryResultsResponse results =
                call(place, "GetQueryResults", () -> logs.getQueryResults(r -> r.queryId(q.id)));
        QueryStatus status = results.status();
        if (status == QueryStatus.SCHEDULED || status == QueryStatus.RUNNING) {
            return false;
        }
        if (status != QueryStatus.COMPLETE) {
            // It ended: nothing to stop.
            q.id = null;
            errors.count(place, "GetQueryResults", "Query" + results.statusAsString());
            throw new QueryFailed(Kind.FAILED, "a Logs Insights query ended " + results.statusAsString());
        }
        List<Map<String, String>> rows = new ArrayList<>(results.results().size());
        for (List<ResultField> fields : results.results()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (ResultField f : fields) {
                if (f.field() != null && f.value() != null) {
                    row.put(f.field(), f.value());
                }
            }
            rows.add(row);
        }
        var statistics = results.statistics();
        q.answer = new Answer(
                rows,
                statistics == null || statistics.bytesScanned() == null ? 0 : Math.round(statistics.bytesScanned()),
                statistics == null || statistics.recordsScanned() == null ? 0 : Math.round(statistics.recordsScanned()),
                rows.size() >= ROW_LIMIT);
        return true;
    }

    /** Stops a query still running; a failure to stop is logged (the query then ends at its own timeout). */
    private void stop(Place place, CloudWatchLogsClient logs, Query q) {
        if (q.id == null) {
            return;
        }
        try {
            call(place, "StopQuery", () -> logs.stopQuery(r -> r.queryId(q.id)));
        } catch (RuntimeException e) {
            log.warn("Logs Insights query {} in {} could not be stopped: {}", q.id, place, e.getMessage());
        }
    }

    private Bucket bucket(Place place) {
        return calls.computeIfAbsent(place, p -> Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(perSecond)
                        .refillGreedy(perSecond, Duration.ofSeconds(1))
                        .build())
                .build());
    }

    /** A call within the rate; the errors StartQuery answers itself are left to it, others translated. */
    private <T> T call(Place place, String operation, Supplier<T> call) {
        try {
            bucket(place).asBlocking().consume(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryFailed(Kind.TIMED_OUT, "reading by Logs Insights was interrupted", e);
        }
        try {
            return call.get();
        } catch (LimitExceededException | MalformedQueryException | InvalidParameterException e) {
            if (!operation.equals("StartQuery")) {
                throw new QueryFailed(Kind.ERROR, operation + " failed: " + message(e), e);
            }
            throw e;
        } catch (SdkException e) {
            throw new QueryFailed(
                    Kind.ERROR,
                    operation + " failed: "
                            + errors.translate(place, operation, e).getMessage(),
                    e);
        }
    }

    private static @Nullable String message(SdkException e) {
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException s
                && s.awsErrorDetails() != null
                && s.awsErrorDetails().errorMessage() != null) {
            return s.awsErrorDetails().errorCode() + ": " + s.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }
}
