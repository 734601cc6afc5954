package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.recording.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the flow logs of many recordings in as few DeleteFlowLogs calls as the API allows (1000 ids a call):
 * deletes that arrive within a short window share a call, and each caller learns the outcome of its own ids only.
 */
final class DeleteBatcher implements AutoCloseable {

    static final int MAX_IDS = 1000;
    private static final Logger log = LoggerFactory.getLogger(DeleteBatcher.class);

    /**
     * One call: the ids, and per id the error that remains (ids not listed are deleted or already gone). A failure
     * of the whole call is thrown.
     */
    interface Call extends Function<List<String>, java.util.Map<String, ProviderException>> {}

    private record Pending(List<String> ids, CompletableFuture<Void> done) {}

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Duration window;
    private final Call call;
    private final Consumer<List<String>> oneByOne;
    private final Thread flusher;
    private volatile boolean running = true;

    /**
     * @param oneByOne how to delete when a whole batch is refused for one missing id: each caller's ids on their own
     */
    DeleteBatcher(Duration window, Call call, Consumer<List<String>> oneByOne) {
        this.window = window;
        this.call = call;
        this.oneByOne = oneByOne;
        this.flusher = new Thread(this::flushForever, "delete-flow-logs-batcher");
        this.flusher.setDaemon(true);
        this.flusher.start();
    }

    /** Deletes these ids together with whatever else is being deleted now; blocks until they are gone. */
    void delete(List<String> ids) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Pending(List.copyOf(ids), done));
        try {
            done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void flushForever() {
        while (running) {
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                List<Pending> batch = new ArrayList<>(List.of(first));
                int size = first.ids().size();
                long deadline = System.nanoTime() + window.toNanos();
                while (size < MAX_IDS) {
                    Pending next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    if (size + next.ids().size() > MAX_IDS) {
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
                log.error("The DeleteFlowLogs batcher failed unexpectedly; it goes on.", e);
            }
        }
    }

    private void flush(List<Pending> batch) {
        List<String> ids = batch.stream().flatMap(p -> p.ids().stream()).toList();
        java.util.Map<String, ProviderException> failures;
        try {
            failures = call.apply(ids);
        } catch (NotFoundForTheWholeCall e) {
            for (Pending p : batch) {
                try {
                    oneByOne.accept(p.ids());
                    p.done().complete(null);
                } catch (RuntimeException failed) {
                    p.done().completeExceptionally(failed);
                }
            }
            return;
        } catch (RuntimeException e) {
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        for (Pending p : batch) {
            Set<String> own = new HashSet<>(p.ids());
            failures.entrySet().stream()
                    .filter(f -> own.contains(f.getKey()))
                    .findFirst()
                    .ifPresentOrElse(f -> p.done().completeExceptionally(f.getValue()), () -> p.done()
                            .complete(null));
        }
    }

    /** Thrown by a {@link Call} whose whole call was refused because one id no longer exists. */
    static final class NotFoundForTheWholeCall extends RuntimeException {
        NotFoundForTheWholeCall() {
            super(null, null, false, false);
        }
    }

    @Override
    public void close() {
        running = false;
        flusher.interrupt();
    }
}
