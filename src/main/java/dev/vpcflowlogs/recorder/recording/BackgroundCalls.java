package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.system.Failures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The starts and stops under way in this process, and the threads that store their answers. Each is sent through
 * {@link ActionRunner} (in a call shared with the others of its burst) without the gateway's lock or the caller's
 * thread; its answer is stored by the caller's {@code store} on one of {@value #ANSWER_THREADS} threads of this
 * class's own, a few at a time as each takes the gateway's lock and a transaction. A crash or a lost answer leaves the
 * recording STARTING or STOPPING with its retry deadline, which sends the call again (the same ClientToken for a start;
 * a delete of flow logs already gone counts as done).
 */
final class BackgroundCalls {

    private static final Logger log = LoggerFactory.getLogger(BackgroundCalls.class);

    static final int ANSWER_THREADS = 4;

    private final ActionRunner actions;
    /** Calls whose answer is not stored yet, by kind and recording id; each completes once it is (or could not be). */
    private final Map<String, CompletableFuture<Void>> underWay = new ConcurrentHashMap<>();

    private final ExecutorService answers;

    BackgroundCalls(ActionRunner actions) {
        this.actions = actions;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("call-answers-");
        threads.setDaemon(true);
        this.answers = Executors.newFixedThreadPool(ANSWER_THREADS, threads);
    }

    /** Sends the start of {@code r} unless one is under way already; its answer goes to {@code store}. */
    void start(Recording r, boolean firstAsk, Consumer<RecordingEvent> store) {
        send("start:" + r.id(), r, "start", () -> actions.start(r, firstAsk), store);
    }

    /** Checks and deletes the flow logs of {@code r} unless that is under way already; the answers go to {@code store}. */
    void stop(Recording r, Consumer<List<RecordingEvent>> store) {
        send("stop:" + r.id(), r, "stop", () -> actions.stop(r), store);
    }

    private <T> void send(
            String key, Recording r, String what, Supplier<CompletableFuture<T>> call, Consumer<T> store) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        if (underWay.putIfAbsent(key, stored) != null) {
            return; // its retry deadline came while it is under way: the answer of the first is awaited
        }
        call.get()
                .whenCompleteAsync(
                        (answer, error) -> {
                            try {
                                if (error != null) {
                                    throw error instanceof RuntimeException e ? e : new IllegalStateException(error);
                                }
                                store.accept(answer);
                            } catch (RuntimeException e) {
                                log.warn(
                                        "Gateway {} recording {}: the answer to its {} could not be stored ({}); its"
                                                + " deadline sends it again.",
                                        r.gatewayId(),
                                        r.id(),
                                        what,
                                        Failures.rootMessage(e));
                            } finally {
                                underWay.remove(key);
                                stored.complete(null);
                            }
                        },
                        answers);
    }

    /** Waits, outside the gateway's lock, until this recording's start is answered and stored, for up to {@code max}. */
    void awaitStart(String recordingId, Duration max) {
        CompletableFuture<Void> stored = underWay.get("start:" + recordingId);
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
    int startsPending() {
        return (int)
                underWay.keySet().stream().filter(k -> k.startsWith("start:")).count();
    }

    /** Stops asked of AWS whose answer is not stored yet. */
    int stopsPending() {
        return (int)
                underWay.keySet().stream().filter(k -> k.startsWith("stop:")).count();
    }

    /**
     * At shutdown (the queue's listener has stopped), the calls under way finish and their answers are stored, for up
     * to {@code max}. One not stored then is not lost: its recording stays STARTING or STOPPING, and its deadline sends
     * the call again after the restart.
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
                    "{} start(s) or stop(s) still had no answer at shutdown; their recordings stay STARTING or STOPPING"
                            + " and their deadlines send the calls again.",
                    underWay.size());
        }
        answers.shutdownNow();
    }
}
