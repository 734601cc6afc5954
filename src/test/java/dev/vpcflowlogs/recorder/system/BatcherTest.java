package dev.vpcflowlogs.recorder.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.recording.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Calls of many recordings share one EC2 call; each caller learns the answers for its own ids only. */
class BatcherTest {

    final List<List<String>> calls = new CopyOnWriteArrayList<>();
    volatile Map<String, ProviderException> failures = Map.of();
    volatile RuntimeException wholeCall;

    final Batcher<String, ProviderException> batcher = new Batcher<>("test", Duration.ofMillis(200), 1000, ids -> {
        calls.add(List.copyOf(ids));
        if (wholeCall != null) {
            throw wholeCall;
        }
        return failures;
    });

    /** A caller fails with the first error among its own ids, as a delete does. */
    void delete(List<String> ids) {
        Map<String, ProviderException> own = batcher.submit(ids);
        if (!own.isEmpty()) {
            throw own.values().iterator().next();
        }
    }

    @AfterEach
    void close() {
        batcher.close();
    }

    /** Each list deleted by a caller of its own, all at once, as recordings stopping together do. */
    List<CompletableFuture<Void>> deleteConcurrently(List<List<String>> each) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (List<String> ids : each) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            new Thread(() -> {
                        try {
                            delete(ids);
                            future.complete(null);
                        } catch (RuntimeException e) {
                            future.completeExceptionally(e);
                        }
                    })
                    .start();
            done.add(future);
        }
        return done;
    }

    @Test
    void deletesArrivingDuringABurstShareACall() {
        List<CompletableFuture<Void>> done = deleteConcurrently(
                List.of(List.of("fl-1", "fl-2"), List.of("fl-3"), List.of("fl-4"), List.of("fl-5"), List.of("fl-6")));

        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();

        // The first may go alone, at once; the others arrive within its window and share the next call.
        assertThat(calls).hasSizeLessThanOrEqualTo(2);
        assertThat(calls.stream().flatMap(List::stream))
                .containsExactlyInAnyOrder("fl-1", "fl-2", "fl-3", "fl-4", "fl-5", "fl-6");
    }

    @Test
    void aCallerAloneDoesNotWaitForTheWindow() {
        try (Batcher<String, ProviderException> slow =
                new Batcher<>("slow", Duration.ofSeconds(10), 1000, ids -> Map.of())) {
            long started = System.nanoTime();
            slow.submit(List.of("fl-1"));

            // A lone caller is answered at once, long before a window of 10 s would end.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aWindowOfZeroGivesEachCallerACallOfItsOwn() {
        List<List<String>> own = new CopyOnWriteArrayList<>();
        try (Batcher<String, ProviderException> unbatched = new Batcher<>("off", Duration.ZERO, 1000, ids -> {
            own.add(List.copyOf(ids));
            return Map.of();
        })) {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (String id : List.of("fl-1", "fl-2", "fl-3")) {
                done.add(CompletableFuture.runAsync(() -> unbatched.submit(List.of(id))));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        }

        assertThat(own).containsExactlyInAnyOrder(List.of("fl-1"), List.of("fl-2"), List.of("fl-3"));
    }

    @Test
    void aFailedIdFailsOnlyTheCallerItBelongsTo() {
        ProviderException refused = new ProviderException("DeleteFlowLogs", "InternalError", "fl-3: 500", true, null);
        failures = Map.of("fl-3", refused);
        List<CompletableFuture<Void>> done = deleteConcurrently(List.of(List.of("fl-1"), List.of("fl-3")));

        assertThat(done.get(0)).succeedsWithin(Duration.ofSeconds(5));
        assertThat(done.get(1))
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableThat()
                .withCause(refused);
    }

    @Test
    void eachCallerGetsTheAnswersForItsOwnIdsOnly() {
        ProviderException refused = new ProviderException("DeleteFlowLogs", "InternalError", "500", true, null);
        failures = Map.of("fl-1", refused, "fl-2", refused);
        List<Map<String, ProviderException>> answers = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (List<String> ids : List.of(List.of("fl-1"), List.of("fl-3"))) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            new Thread(() -> {
                        answers.add(batcher.submit(ids));
                        future.complete(null);
                    })
                    .start();
            done.add(future);
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();

        assertThat(answers).containsExactlyInAnyOrder(Map.of("fl-1", refused), Map.of());
    }

    @Test
    void aCallNeverCarriesMoreThanAThousandIds() {
        List<List<String>> each = IntStream.range(0, 6)
                .mapToObj(n -> IntStream.range(0, 400)
                        .mapToObj(i -> "fl-" + n + "-" + i)
                        .toList())
                .toList();

        CompletableFuture.allOf(deleteConcurrently(each).toArray(CompletableFuture[]::new))
                .join();

        assertThat(calls).allSatisfy(call -> assertThat(call).hasSizeLessThanOrEqualTo(1000));
        assertThat(calls.stream().mapToInt(List::size).sum()).isEqualTo(2400);
    }

    @Test
    void aFailureOfTheWholeCallReachesEveryCallerOfTheBatch() {
        wholeCall = new ProviderException("DeleteFlowLogs", "UnauthorizedOperation", "denied", false, null);
        List<CompletableFuture<Void>> done = deleteConcurrently(List.of(List.of("fl-1"), List.of("fl-2")));

        await().atMost(Duration.ofSeconds(5)).until(() -> done.stream().allMatch(CompletableFuture::isDone));
        assertThat(done).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
        assertThatThrownBy(() -> delete(List.of("fl-9")))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("UnauthorizedOperation");
        assertThat(Collections.unmodifiableList(calls)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void callersArrivingWhileTheCallWouldWaitForARateLimitJoinIt() {
        List<List<String>> made = new CopyOnWriteArrayList<>();
        try (Batcher<String, ProviderException> limited =
                new Batcher<>("limited", Duration.ofMillis(20), 1000, id -> 1, () -> Duration.ofSeconds(1), ids -> {
                    made.add(List.copyOf(ids));
                    return Map.of();
                })) {
            CompletableFuture<Map<String, ProviderException>> first = limited.submitAsync(List.of("fl-1"));
            CompletableFuture<Map<String, ProviderException>> second = limited.submitAsync(List.of("fl-2"));
            CompletableFuture.allOf(first, second).join();
        }

        // The call would wait a second for its token: the second caller joins it instead of waiting for a call of its
        // own.
        assertThat(made).containsExactly(List.of("fl-1", "fl-2"));
    }
}
