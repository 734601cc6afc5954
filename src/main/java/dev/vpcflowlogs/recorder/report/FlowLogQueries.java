package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.Place;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch Logs Insights: queries run by AWS beside the records, for recordings too big to stream into the JVM.
 * Implemented by the {@code aws} module.
 */
public interface FlowLogQueries {

    /** Logs Insights answers at most this many rows a query (StartQuery {@code limit}: 1 to 10,000). */
    int ROW_LIMIT = 10_000;

    /**
     * Runs the queries over one log group between {@code from} and {@code to} (whole seconds, both included), as
     * many at once as the account's quota allows, and waits for all. Every query still running when one fails, when
     * the deadline passes or when the thread is interrupted is stopped.
     *
     * @return the answers, in the order of the queries
     * @throws QueryFailed when a query fails, times out, is refused or is throttled past the deadline
     */
    List<Answer> run(Place place, String logGroup, List<String> queries, Instant from, Instant to, Instant deadline);

    /**
     * One query's rows ({@code field → value}, values as Logs Insights writes them) and what it scanned.
     *
     * @param truncated the query answered {@link #ROW_LIMIT} rows: there may be more it did not return
     */
    record Answer(List<Map<String, String>> rows, long bytesScanned, long recordsScanned, boolean truncated) {

        public Answer {
            rows = List.copyOf(rows);
        }
    }

    /** Why the queries gave no answer, in words a notification can carry. */
    final class QueryFailed extends RuntimeException {

        /** What went wrong: the report's fallback depends on it. */
        public enum Kind {
            /** AWS refused the query (MalformedQueryException, InvalidParameterException): a bug, not weather. */
            REFUSED,
            /** The query ended Failed, Cancelled, Timeout or Unknown. */
            FAILED,
            /** LimitExceededException until the deadline: too many queries in the account and region. */
            THROTTLED,
            /** The deadline passed while queries ran. */
            TIMED_OUT,
            /** Anything else: access denied, the service unavailable. */
            ERROR
        }

        private final Kind kind;

        public QueryFailed(Kind kind, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
        }

        public QueryFailed(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }
}
