package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.Place;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Where a recording's flow log records are read from (CloudWatch Logs today; S3 could be another). */
public interface FlowLogSource {

    /**
     * Streams every record written between {@code from} and {@code to} by the flow logs of these sources, and says
     * what each delivered. A source is what one flow log records (a network interface, or a regional gateway), named
     * with the prefixes its log streams may start with (an interface's stream is {@code <eni>-all}). A source without
     * any stream yet is no error: its flow log has delivered nothing so far.
     *
     * @param place the account and region the records are in
     * @param place the account and region the records are in
     * @param streamPrefixes the prefixes of each source, by the source's name
     * @throws RuntimeException when the records cannot be read; the report then says why
     */
    Delivery read(
            Place place,
            String logGroup,
            Map<String, List<String>> streamPrefixes,
            Instant from,
            Instant to,
            RecordConsumer consumer);

    @FunctionalInterface
    interface RecordConsumer {
        void accept(long timestampMillis, String message);
    }

    /** What each source delivered: its streams, and the records read from them in the window. */
    record Delivery(Map<String, Delivered> bySource) {

        public Delivery {
            bySource = Map.copyOf(bySource);
        }

        /** The sources that delivered no record in the window. */
        public List<String> silent() {
            return bySource.entrySet().stream()
                    .filter(e -> e.getValue().records() == 0)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
        }
    }

    /** The log streams found for one source (none: no stream yet), and the records read from them. */
    record Delivered(List<String> streams, long records) {

        public Delivered {
            streams = List.copyOf(streams);
        }
    }
}
