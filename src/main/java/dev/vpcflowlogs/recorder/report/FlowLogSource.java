package dev.vpcflowlogs.recorder.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Where a recording's flow log records are read from (CloudWatch Logs today; S3 could be another). */
public interface FlowLogSource {

    /**
     * Streams every record written between {@code from} and {@code to} by the flow logs whose log streams are named
     * from these prefixes (a network interface's id: its stream is {@code <eni>-all}), and says what each delivered. A
     * prefix without any stream yet is no error: its flow log has delivered nothing so far.
     *
     * @throws RuntimeException when the records cannot be read; the report then says why
     */
    Delivery read(String logGroup, List<String> streamPrefixes, Instant from, Instant to, RecordConsumer consumer);

    @FunctionalInterface
    interface RecordConsumer {
        void accept(long timestampMillis, String message);
    }

    /** What each prefix delivered: its streams, and the records read from them in the window. */
    record Delivery(Map<String, Delivered> byPrefix) {

        public Delivery {
            byPrefix = Map.copyOf(byPrefix);
        }

        /** The prefixes that delivered no record in the window. */
        public List<String> silent() {
            return byPrefix.entrySet().stream()
                    .filter(e -> e.getValue().records() == 0)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
        }
    }

    /** The log streams found for one prefix (none: no stream yet), and the records read from them. */
    record Delivered(List<String> streams, long records) {

        public Delivered {
            streams = List.copyOf(streams);
        }
    }
}
