package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.report.FlowLogSource;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/**
 * Reads a recording's records with FilterLogEvents: the streams of the recorded interfaces ({@code <eni>-all}), the
 * recording's window, page by page, at most {@code recorder.report.reads} calls a second, with the SDK's retries.
 */
@Component
class CloudWatchLogsFlowLogSource implements FlowLogSource {

    /** FilterLogEvents takes at most 100 stream names. */
    static final int STREAMS_PER_CALL = 100;

    private final CloudWatchLogsClient logs;
    private final AwsErrors errors;
    private final Bucket reads;

    CloudWatchLogsFlowLogSource(CloudWatchLogsClient logs, AwsErrors errors, RecorderProperties properties) {
        this.logs = logs;
        this.errors = errors;
        int perSecond = properties.report().reads();
        this.reads = Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(perSecond)
                        .refillGreedy(perSecond, Duration.ofSeconds(1))
                        .build())
                .build();
    }

    @Override
    public void read(String logGroup, List<String> interfaceIds, Instant from, Instant to, RecordConsumer consumer) {
        List<String> streams = interfaceIds.stream().map(id -> id + "-all").toList();
        for (int i = 0; i < streams.size(); i += STREAMS_PER_CALL) {
            List<String> chunk = streams.subList(i, Math.min(i + STREAMS_PER_CALL, streams.size()));
            String token = null;
            do {
                String next = token;
                FilterLogEventsResponse page;
                try {
                    reads.asBlocking().consume(1);
                    page = logs.filterLogEvents(r -> r.logGroupName(logGroup)
                            .logStreamNames(chunk)
                            .startTime(from.toEpochMilli())
                            .endTime(to.toEpochMilli())
                            .nextToken(next));
                } catch (SdkException e) {
                    throw errors.translate("FilterLogEvents", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("reading flow log records was interrupted", e);
                }
                for (FilteredLogEvent event : page.events()) {
                    consumer.accept(event.timestamp(), event.message());
                }
                token = page.nextToken();
            } while (token != null && !Thread.currentThread().isInterrupted());
        }
    }
}
