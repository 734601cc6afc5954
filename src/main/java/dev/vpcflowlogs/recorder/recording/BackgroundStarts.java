package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.system.Failures;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The starts under way in this process, and the threads that store their answers. A start is sent through
 * {@link ActionRunner#start} (alone, or in a call shared with the others of its burst: {@link StartBatches}) without
 * the gateway's lock or the caller's thread; its answer is stored by the caller's {@code store} on one of
 * {@value #ANSWER_THREADS} threads of this class's own, a few at a time as each takes the gateway's lock and a
 * transaction. A crash or a lost answer leaves the recording STARTING: its deadline retries the start, which sends the
 * same call again.
 */
final class BackgroundStarts {

    private static final Logger log = LoggerFactory.getLogger(BackgroundStarts.class);

    static final int ANSWER_THREADS = 4;

    private final ActionRunner actions;
    /** Starts whose answer is not stored yet, by recording id; each completes once it is (or could not be). */
    private final Map<String, CompletableFuture<Void>> underWay = new ConcurrentHashMap<>();

    private final ExecutorService answers;

    BackgroundStarts(ActionRunner actions) {
        this.actions = actions;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("start-answers-");
        threads.setDaemon(true);
        this.answers = Executors.newFixedThreadPool(ANSWER_THREADS, threads);
    }

    /** Sends the start of {@code r} unless one is under way already; its answer goes to {@code store}. */
    void start(Recording r, boolean firstAsk, Consumer<RecordingEvent> store) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        if (underWay.putIfAbsent(r.id(), stored) != null) {
            return; // its retry deadline came while it is under way: the answer of the first is awaited
        }
        actions.start(r, firstAsk)
                .whenCompleteAsync(
                        (answer, error) -> {
                            try {
                                if (error != null) {
                                    throw error instanceof RuntimeException e ? e : new IllegalStateException(error);
                                }
                                store.accept(answer);
                            } catch (RuntimeException e) {
                                log.warn(
                                        "Gateway {} recording {}: the answer to its start could not be stored ({}); its"
                                                + " deadline retries the start, with the same call.",
                                        r.gatewayId(),
                                        r.id(),
                                        Failures.rootMessage(e));
                            } finally {
                                underWay.remove(r.id());
                                stored.complete(null);
                            }
                        },
                        answers);
    }

    /** Waits, outside the gateway's lock, until this start's answer is stored, for up to {@code max}. */
    void await(String recordingId, Duration max) {
        CompletableFuture<Void> stored = underWay.get(recordingId);
        if (stored == null) {
            return;
        }
        try {
            stored.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // still starting: the caller says so, and the start goes on
        }
    }

    /** Starts asked of AWS whose answer is not stored yet. */
    int pending() {
        return underWay.size();
    }

    /**
     * At shutdown (the queue's listener has stopped), the starts under way finish and their answers are stored, for up
     * to {@code max}. One not stored then is not lost: its recording stays STARTING, and its deadline sends the same
     * call again after the restart.
     */
    void finish(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!underWay.isEmpty() && System.nanoTime() < deadline) {
            try {
                CompletableFuture.allOf(underWay.values().toArray(CompletableFuture[]::new))
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException e) {
                // the loop looks again, until the deadline
            }
        }
        if (!underWay.isEmpty()) {
            log.warn(
                    "{} start(s) still had no answer at shutdown; their recordings stay STARTING and their deadlines"
                            + " send the same calls again.",
                    underWay.size());
        }
        answers.shutdownNow();
    }
}
