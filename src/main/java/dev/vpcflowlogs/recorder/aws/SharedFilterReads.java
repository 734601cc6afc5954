package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.recording.ProviderException;
import dev.vpcflowlogs.recorder.report.FlowLogSource.RecordConsumer;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/**
 * FilterLogEvents calls shared by the reports of one log group that read at the same time. FilterLogEvents is limited
 * to 5 calls a second per account and region, and a small recording's records fit in one page: when a thousand
 * recordings end together, a call each would queue their reports for minutes. Reads waiting for the same log group are
 * taken together, as many as one call can name (100 streams), over the union of their windows; each event goes to the
 * reads that named its stream and whose window holds it, so each report sees what a call of its own would have
 * returned. A stream's records outside a recording's window are those of the gateway's other recordings, rare in a
 * shared window. One log group is read by one call at a time (the rate is the account's anyway); the next batch
 * is taken when it ends.
 */
final class SharedFilterReads {

    /** FilterLogEvents takes at most 100 stream names (CloudWatch Logs API reference, logStreamNames). */
    static final int STREAMS_PER_CALL = 100;

    /** One page of FilterLogEvents over these streams and window (both ends included, as AWS reads them). */
    @FunctionalInterface
    interface Pages {
        FilterLogEventsResponse page(
                Place place, String logGroup, List<String> streams, long from, long to, @Nullable String token);
    }

    record Group(Place place, String name) {}

    /** What one report asked for; {@code done} holds the records read from each stream in its window. */
    private static final class Read {
        final Set<String> streams;
        final long from;
        final long to;
        final RecordConsumer consumer;
        final Map<String, Long> records = new HashMap<>();
        final CompletableFuture<Map<String, Long>> done = new CompletableFuture<>();

        Read(List<String> streams, long from, long to, RecordConsumer consumer) {
            this.streams = new LinkedHashSet<>(streams);
            this.from = from;
            this.to = to;
            this.consumer = consumer;
        }

        boolean holds(long timestamp) {
            return timestamp >= from && timestamp <= to;
        }
    }

    private final Pages pages;
    private final Executor executor;
    private final DistributionSummary sharing;
    /** Reads waiting, by log group; a group in {@code draining} has a task taking them. Guarded by {@code this}. */
    private final Map<Group, Deque<Read>> waiting = new HashMap<>();

    private final Set<Group> draining = new HashSet<>();

    SharedFilterReads(Pages pages, Executor executor, MeterRegistry meters) {
        this.pages = pages;
        this.executor = executor;
        this.sharing = DistributionSummary.builder("recorder.report.reads.shared")
                .description("Recordings whose records one FilterLogEvents reading served")
                .register(meters);
        meters.gauge("recorder.report.reads.waiting", this, SharedFilterReads::waiting);
    }

    /** Reads waiting for a FilterLogEvents call. */
    synchronized int waiting() {
        return waiting.values().stream().mapToInt(Deque::size).sum();
    }

    /**
     * Every event of these streams in the window, given to the consumer on the reading's thread (never two at once),
     * once a call can take this read; returns the records read from each stream.
     *
     * @throws ExecutionException what the reading or the consumer threw
     * @throws InterruptedException when the caller stops waiting; its read is dropped
     */
    Map<String, Long> read(
            Place place, String logGroup, List<String> streams, long from, long to, RecordConsumer consumer)
            throws InterruptedException, ExecutionException {
        Group group = new Group(place, logGroup);
        Read read = new Read(streams, from, to, consumer);
        synchronized (this) {
            waiting.computeIfAbsent(group, g -> new ArrayDeque<>()).add(read);
            if (draining.add(group)) {
                try {
                    executor.execute(() -> drain(group));
                } catch (RuntimeException e) {
                    // Refused (the recorder is stopping): nothing will take this group's reads.
                    draining.remove(group);
                    waiting.remove(group);
                    throw e;
                }
            }
        }
        try {
            return read.done.get();
        } catch (InterruptedException e) {
            // The report gave up (its timeout): nothing more is given to its consumer.
            read.done.cancel(false);
            synchronized (this) {
                Deque<Read> queue = waiting.get(group);
                if (queue != null) {
                    queue.remove(read);
                }
            }
            throw e;
        }
    }

    private void drain(Group group) {
        while (true) {
            List<Read> batch;
            synchronized (this) {
                batch = take(group);
                if (batch.isEmpty()) {
                    draining.remove(group);
                    waiting.remove(group);
                    return;
                }
            }
            readTogether(group, batch);
        }
    }

    /** The oldest waiting read, and those after it that fit the same calls: 100 names, overlapping windows. */
    private List<Read> take(Group group) {
        Deque<Read> queue = waiting.getOrDefault(group, new ArrayDeque<>());
        queue.removeIf(r -> r.done.isDone());
        List<Read> batch = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (var it = queue.iterator(); it.hasNext(); ) {
            Read r = it.next();
            Set<String> union = new HashSet<>(names);
            union.addAll(r.streams);
            boolean overlaps = r.from <= to && r.to >= from;
            if (batch.isEmpty() || (union.size() <= STREAMS_PER_CALL && overlaps)) {
                batch.add(r);
                names = union;
                from = Math.min(from, r.from);
                to = Math.max(to, r.to);
                it.remove();
            }
        }
        return batch;
    }

    private void readTogether(Group group, List<Read> batch) {
        Map<String, List<Read>> byStream = new LinkedHashMap<>();
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (Read r : batch) {
            r.streams.forEach(
                    s -> byStream.computeIfAbsent(s, x -> new ArrayList<>()).add(r));
            from = Math.min(from, r.from);
            to = Math.max(to, r.to);
        }
        List<String> names = List.copyOf(byStream.keySet());
        sharing.record(batch.size());
        boolean[] given = new boolean[1];
        try {
            // Only a read alone can name more than 100 streams: it takes several calls, as before.
            for (int i = 0; i < names.size() && anyWaiting(batch); i += STREAMS_PER_CALL) {
                List<String> chunk = names.subList(i, Math.min(i + STREAMS_PER_CALL, names.size()));
                String token = null;
                do {
                    FilterLogEventsResponse page = pages.page(group.place(), group.name(), chunk, from, to, token);
                    for (FilteredLogEvent event : page.events()) {
                        given[0] |= give(event, byStream.getOrDefault(event.logStreamName(), List.of()));
                    }
                    // Pages "might only be partially full, or even empty": only a missing nextToken ends the reading.
                    token = page.nextToken();
                } while (token != null && anyWaiting(batch));
            }
            batch.forEach(r -> r.done.complete(Map.copyOf(r.records)));
        } catch (ProviderException e) {
            if (batch.size() > 1 && !given[0] && RESOURCE_NOT_FOUND.equals(e.code())) {
                // One read's stream is gone (FilterLogEvents then fails as a whole) before anything was given: each
                // is read alone, so that only the read whose stream is gone fails.
                batch.stream().filter(r -> !r.done.isDone()).forEach(r -> readTogether(group, List.of(r)));
            } else {
                batch.forEach(r -> r.done.completeExceptionally(e));
            }
        } catch (RuntimeException e) {
            batch.forEach(r -> r.done.completeExceptionally(e));
        }
    }

    static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";

    /** Whether a read of the batch still takes records (one that stopped, or gave up waiting, does not). */
    private static boolean anyWaiting(List<Read> batch) {
        return batch.stream().anyMatch(r -> !r.done.isDone());
    }

    /** Gives the event to the reads it belongs to; whether any took it. */
    private static boolean give(FilteredLogEvent event, List<Read> readers) {
        boolean given = false;
        for (Read r : readers) {
            if (r.done.isDone() || !r.holds(event.timestamp())) {
                continue;
            }
            try {
                given = true;
                r.consumer.accept(event.timestamp(), event.message());
                r.records.merge(event.logStreamName(), 1L, Long::sum);
            } catch (RuntimeException e) {
                // This report stops reading (streaming found it too big, say); the others go on.
                r.done.completeExceptionally(e);
            }
        }
        return given;
    }
}
