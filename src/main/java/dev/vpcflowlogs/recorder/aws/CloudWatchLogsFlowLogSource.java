package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.report.FlowLogSource;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;

/**
 * Reads a recording's records from CloudWatch Logs, with the SDK's retries: the streams are found first
 * (DescribeLogStreams by prefix, at most {@code recorder.report.stream-lookups} calls a second), then read
 * (FilterLogEvents by name, every page of the window, at most {@code recorder.report.reads} calls a second; AWS
 * limits each operation per account and region on its own). FilterLogEvents with {@code logStreamNames} fails as a
 * whole when one named stream does not exist (ResourceNotFoundException, seen in the field), and a flow log's stream
 * appears only once it delivers: asking by prefix first reads only what exists, tells "no stream yet" apart from "no
 * record in the window", and finds streams whose exact name AWS does not document. Reports of one log group reading
 * at the same time share their FilterLogEvents calls ({@link SharedFilterReads}).
 */
@Component
class CloudWatchLogsFlowLogSource implements FlowLogSource {

    private final AwsClients clients;
    private final AwsErrors errors;
    private final int readsPerSecond;
    private final int lookupsPerSecond;
    /** CloudWatch Logs limits its calls per operation, account and region: a bucket for each. */
    private final Map<Place, Bucket> reads = new ConcurrentHashMap<>();

    private final Map<Place, Bucket> lookups = new ConcurrentHashMap<>();
    private final SharedFilterReads shared;

    CloudWatchLogsFlowLogSource(
            AwsClients clients,
            AwsErrors errors,
            RecorderProperties properties,
            @Qualifier("logReads") Executor logReads,
            MeterRegistry meters) {
        this.clients = clients;
        this.errors = errors;
        this.readsPerSecond = properties.report().reads();
        this.lookupsPerSecond = properties.report().streamLookups();
        this.shared = new SharedFilterReads(this::page, logReads, meters);
    }

    private static Bucket bucket(Map<Place, Bucket> buckets, Place place, int perSecond) {
        return buckets.computeIfAbsent(place, p -> Bucket.builder()
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
        Map<String, Long> records = new HashMap<>();
        if (!sourceOfStream.isEmpty()) {
            Map<String, Long> byStream;
            try {
                byStream = shared.read(
                        place,
                        logGroup,
                        List.copyOf(sourceOfStream.keySet()),
                        from.toEpochMilli(),
                        to.toEpochMilli(),
                        consumer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("reading flow log records was interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            }
            byStream.forEach((stream, count) -> records.merge(sourceOfStream.get(stream), count, Long::sum));
        }
        Map<String, Delivered> bySource = new LinkedHashMap<>();
        streamsOfSource.forEach(
                (source, streams) -> bySource.put(source, new Delivered(streams, records.getOrDefault(source, 0L))));
        return new Delivery(bySource);
    }

    /** One page of FilterLogEvents, within the account's reads a second. */
    private FilterLogEventsResponse page(
            Place place, String logGroup, List<String> streams, long from, long to, @Nullable String token) {
        return call(bucket(reads, place, readsPerSecond), place, "FilterLogEvents", () -> clients.logs(place)
                .filterLogEvents(r -> r.logGroupName(logGroup)
                        .logStreamNames(streams)
                        .startTime(from)
                        .endTime(to)
                        .nextToken(token)));
    }

    /** Every stream of the group whose name starts with the prefix, in every page. */
    private List<String> streams(Place place, CloudWatchLogsClient logs, String logGroup, String prefix) {
        List<String> streams = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            var page = call(
                    bucket(lookups, place, lookupsPerSecond),
                    place,
                    "DescribeLogStreams",
                    () -> logs.describeLogStreams(r ->
                            r.logGroupName(logGroup).logStreamNamePrefix(prefix).nextToken(next)));
            page.logStreams().stream().map(LogStream::logStreamName).forEach(streams::add);
            token = page.nextToken();
        } while (token != null && !Thread.currentThread().isInterrupted());
        return streams;
    }

    private <T> T call(Bucket bucket, Place place, String operation, Supplier<T> call) {
        try {
            bucket.asBlocking().consume(1);
            return call.get();
        } catch (SdkException e) {
            throw errors.translate(place, operation, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("reading flow log records was interrupted", e);
        }
    }
}
