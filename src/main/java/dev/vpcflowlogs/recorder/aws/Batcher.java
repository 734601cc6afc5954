package dev.vpcflowlogs.recorder.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the callers of one EC2 action with as few calls as the API allows: ids that arrive within a short window
 * share a call (up to {@code maxIds}), and each caller gets the answers for its own ids. EC2 throttles each action
 * with its own bucket, so a thousand recordings stopping at once cost a few calls, not a thousand.
 *
 * @param <T> what the call answers per id (an error, a status); ids it says nothing of are absent from the answer
 */
final class Batcher<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Batcher.class);

    /** One call for these ids: the answer per id. A failure of the whole call is thrown, and reaches every caller. */
    @FunctionalInterface
    interface Call<T> {
        Map<String, T> apply(List<String> ids);
    }

    private record Pending<T>(List<String> ids, CompletableFuture<Map<String, T>> done) {}

    private final BlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
    private final Duration window;
    private final int maxIds;
    private final Call<T> call;
    private final Thread flusher;
    private volatile boolean running = true;

    Batcher(String name, Duration window, int maxIds, Call<T> call) {
        this.window = window;
        this.maxIds = maxIds;
        this.call = call;
        this.flusher = new Thread(this::flushForever, name + "-batcher");
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    /** Sends these ids with whatever else is asked now; blocks until the answer, and returns the part for them. */
    Map<String, T> submit(List<String> ids) {
        CompletableFuture<Map<String, T>> done = new CompletableFuture<>();
        queue.add(new Pending<>(List.copyOf(ids), done));
        try {
            return done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void flushForever() {
        while (running) {
            try {
                Pending<T> first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                List<Pending<T>> batch = new ArrayList<>(List.of(first));
                int size = first.ids().size();
                long deadline = System.nanoTime() + window.toNanos();
                while (size < maxIds) {
                    Pending<T> next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    if (size + next.ids().size() > maxIds) {
                        queue.add(next); // the next batch takes it
                        break;
                    }
                    batch.add(next);
                    size += next.ids().size();
                }
                flush(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("The {} failed unexpectedly; it goes on.", flusher.getName(), e);
            }
        }
    }

    private void flush(List<Pending<T>> batch) {
        List<String> ids = batch.stream().flatMap(p -> p.ids().stream()).toList();
        Map<String, T> answers;
        try {
            answers = call.apply(ids);
        } catch (RuntimeException e) {
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        for (Pending<T> p : batch) {
            Map<String, T> own = new HashMap<>();
            for (String id : p.ids()) {
                T answer = answers.get(id);
                if (answer != null) {
                    own.put(id, answer);
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
