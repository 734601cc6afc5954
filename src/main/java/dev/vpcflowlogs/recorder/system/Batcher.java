package dev.vpcflowlogs.recorder.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the callers of one AWS action with as few calls as the API allows: what callers ask during a burst shares a
 * call (up to {@code maxWeight}: ids, or resources), and each caller gets the answers for its own keys. AWS throttles
 * each action with its own bucket, so a thousand recordings starting or stopping at once cost a few calls, not a
 * thousand.
 *
 * <p>A caller alone goes at once: it waits for company only during a burst, that is when others are queued already
 * or the previous call ended less than a window ago; or when the call would wait anyway for a rate limit's token. A
 * window of zero turns batching off: one caller, one call.
 *
 * @param <K> what a caller asks about (an id, a recording's share of a call)
 * @param <T> what the call answers per key; keys it says nothing of are absent from the answer
 */
public final class Batcher<K, T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Batcher.class);

    /** One call for these keys: the answer per key. A failure of the whole call is thrown, and reaches every caller. */
    @FunctionalInterface
    public interface Call<K, T> {
        Map<K, T> apply(List<K> keys);
    }

    private record Pending<K, T>(List<K> keys, int weight, CompletableFuture<Map<K, T>> done) {}

    private final BlockingDeque<Pending<K, T>> queue = new LinkedBlockingDeque<>();
    private final Duration window;
    private final Supplier<Duration> hold;
    private final int maxWeight;
    private final ToIntFunction<K> weight;
    private final Call<K, T> call;
    private final Thread flusher;
    private volatile boolean running = true;
    private long lastCallEnded = System.nanoTime() - Duration.ofDays(1).toNanos();

    /** Each key weighs one: a call carries up to {@code maxIds} of them. */
    public Batcher(String name, Duration window, int maxIds, Call<K, T> call) {
        this(name, window, maxIds, key -> 1, call);
    }

    public Batcher(String name, Duration window, int maxWeight, ToIntFunction<K> weight, Call<K, T> call) {
        this(name, window, maxWeight, weight, () -> Duration.ZERO, call);
    }

    /**
     * With {@code hold}: how long the next call would wait anyway (for a rate limit's token); callers arriving
     * meanwhile join it.
     */
    public Batcher(
            String name,
            Duration window,
            int maxWeight,
            ToIntFunction<K> weight,
            Supplier<Duration> hold,
            Call<K, T> call) {
        this.hold = hold;
        this.window = window;
        this.maxWeight = maxWeight;
        this.weight = weight;
        this.call = call;
        this.flusher = new Thread(this::flushForever, name + "-batcher");
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    /** Sends these keys with whatever else is asked now; blocks until the answer, and returns the part for them. */
    public Map<K, T> submit(List<K> keys) {
        try {
            return submitAsync(keys).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The same without waiting: the part of the answer for these keys, or the failure of their call. */
    public CompletableFuture<Map<K, T>> submitAsync(List<K> keys) {
        CompletableFuture<Map<K, T>> done = new CompletableFuture<>();
        int total = keys.stream().mapToInt(weight).sum();
        if (total > maxWeight) {
            throw new IllegalArgumentException(
                    "one caller asks for " + total + ", more than a call takes (" + maxWeight + ")");
        }
        queue.add(new Pending<>(List.copyOf(keys), total, done));
        return done;
    }

    private void flushForever() {
        while (running) {
            try {
                Pending<K, T> first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                List<Pending<K, T>> batch = new ArrayList<>(List.of(first));
                int size = first.weight();
                boolean batching = !window.isZero();
                boolean burst = !queue.isEmpty() || System.nanoTime() - lastCallEnded < window.toNanos();
                long wait = Math.max(
                        burst ? window.toNanos() : 0, batching ? hold.get().toNanos() : 0);
                long deadline = System.nanoTime() + wait;
                while (batching && size < maxWeight) {
                    Pending<K, T> next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    if (size + next.weight() > maxWeight) {
                        queue.addFirst(next); // it opens the next call
                        break;
                    }
                    batch.add(next);
                    size += next.weight();
                }
                flush(batch);
                lastCallEnded = System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("The {} failed unexpectedly; it goes on.", flusher.getName(), e);
            }
        }
    }

    private void flush(List<Pending<K, T>> batch) {
        List<K> keys = batch.stream().flatMap(p -> p.keys().stream()).toList();
        Map<K, T> answers;
        try {
            answers = call.apply(keys);
        } catch (RuntimeException e) {
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        for (Pending<K, T> p : batch) {
            Map<K, T> own = new HashMap<>();
            for (K key : p.keys()) {
                T answer = answers.get(key);
                if (answer != null) {
                    own.put(key, answer);
                }
            }
            p.done().complete(own);
        }
    }

    @Override
    public void close() {
        running = false;
        flusher.interrupt();
    }
}
