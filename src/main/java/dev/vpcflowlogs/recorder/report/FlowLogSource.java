package dev.vpcflowlogs.recorder.report;

import java.time.Instant;
import java.util.List;

/** Where a recording's flow log records are read from (CloudWatch Logs today; S3 could be another). */
public interface FlowLogSource {

    /**
     * Streams every record of the given network interfaces written between {@code from} and {@code to}.
     *
     * @throws RuntimeException when the records cannot be read; the report then says why
     */
    void read(String logGroup, List<String> interfaceIds, Instant from, Instant to, RecordConsumer consumer);

    @FunctionalInterface
    interface RecordConsumer {
        void accept(long timestampMillis, String message);
    }
}
