package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.report.FlowLogSource;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;

/**
 * Reads a recording's records from CloudWatch Logs, at most {@code recorder.report.reads} calls a second, with the
 * SDK's retries. The streams are found first (DescribeLogStreams by prefix), then read (FilterLogEvents by name, every
 * page of the window). FilterLogEvents with {@code logStreamNames} fails as a whole when one named stream does not
 * exist (ResourceNotFoundException, seen in the field), and a flow log's stream appears only once it delivers: asking
 * by prefix first reads only what exists, tells "no stream yet" apart from "no record in the window", and finds
 * streams whose exact name AWS does not document.
 */
@Component
class CloudWatchLogsFlowLogSource implements FlowLogSource {

    /** FilterLogEvents takes at most 100 stream names (CloudWatch Logs API reference, logStreamNames). */
    static final int STREAMS_PER_CALL = 100;

    private final AwsClients clients;
    private final AwsErrors errors;
    private final int perSecond;
    /** CloudWatch Logs limits its calls per account and region: a bucket for each. */
    private final Map<Place, Bucket> reads = new ConcurrentHashMap<>();

    CloudWatchLogsFlowLogSource(AwsClients clients, AwsErrors errors, RecorderProperties properties) {
        this.clients = clients;
        this.errors = errors;
        this.perSecond = properties.report().reads();
    }

    private Bucket bucket(Place place) {
        return reads.computeIfAbsent(place, p -> Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(perSecond)
                        .refillGreedy(perSecond, Duration.ofSeconds(1))
                        .build())
                .build());
    }

    @Override
    public Delivery read(
            Place place,
            String logGroup,
            Map<String, List<String>> streamPrefixes,
            Instant from,
            Instant to,
            RecordConsumer consumer) {
        CloudWatchLogsClient logs = clients.logs(place);
        Map<String, String> sourceOfStream = new LinkedHashMap<>();
        Map<String, List<String>> streamsOfSource = new LinkedHashMap<>();
        streamPrefixes.forEach((source, prefixes) -> {
            Set<String> streams = new LinkedHashSet<>();
            prefixes.forEach(prefix -> streams.addAll(streams(place, logs, logGroup, prefix)));
            streamsOfSource.put(source, List.copyOf(streams));
            streams.forEach(stream -> sourceOfStream.putIfAbsent(stream, source));
        });
        List<String> all = List.copyOf(sourceOfStream.keySet());
        Map<String, Long> records = new HashMap<>();
        for (int i = 0; i < all.size(); i += STREAMS_PER_CALL) {
            List<String> chunk = all.subList(i, Math.min(i + STREAMS_PER_CALL, all.size()));
            String token = null;
            do {
                String next = token;
                FilterLogEventsResponse page = call(
                        place,
                        "FilterLogEvents",
                        () -> logs.filterLogEvents(r -> r.logGroupName(logGroup)
                                .logStreamNames(chunk)
                                .startTime(from.toEpochMilli())
                                .endTime(to.toEpochMilli())
                                .nextToken(next)));
                for (FilteredLogEvent event : page.events()) {
                    records.merge(sourceOfStream.getOrDefault(event.logStreamName(), ""), 1L, Long::sum);
                    consumer.accept(event.timestamp(), event.message());
                }
                // Pages "might only be partially full, or even empty": only a missing nextToken ends the reading.
                token = page.nextToken();
            } while (token != null && !Thread.currentThread().isInterrupted());
        }
        Map<String, Delivered> bySource = new LinkedHashMap<>();
        streamsOfSource.forEach(
                (source, streams) -> bySource.put(source, new Delivered(streams, records.getOrDefault(source, 0L))));
        return new Delivery(bySource);
    }

    /** Every stream of the group whose name starts with the prefix, in every page. */
    private List<String> streams(Place place, CloudWatchLogsClient logs, String logGroup, String prefix) {
        List<String> streams = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            var page = call(
                    place,
                    "DescribeLogStreams",
                    () -> logs.describeLogStreams(r ->
                            r.logGroupName(logGroup).logStreamNamePrefix(prefix).nextToken(next)));
            page.logStreams().stream().map(LogStream::logStreamName).forEach(streams::add);
            token = page.nextToken();
        } while (token != null && !Thread.currentThread().isInterrupted());
        return streams;
    }

    private <T> T call(Place place, String operation, Supplier<T> call) {
        try {
            bucket(place).asBlocking().consume(1);
            return call.get();
        } catch (SdkException e) {
            throw errors.translate(place, operation, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("reading flow log records was interrupted", e);
        }
    }
}
