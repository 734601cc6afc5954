package dev.vpcflowlogs.recorder.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.recording.ProviderException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

/** Reports of one log group that read at the same time share their FilterLogEvents calls, and get their own records. */
class SharedFilterReadsTest {

    static final String GROUP = "/vpc-flowlogs-recorder/recordings";

    /** A FilterLogEvents call as the fake log group saw it. */
    record Asked(List<String> streams, long from, long to) {}

    /** Every stream holds an event at each of these times, one page a call; the first call can be held. */
    final List<Asked> asked = Collections.synchronizedList(new ArrayList<>());

    final CountDownLatch firstCallHeld = new CountDownLatch(1);
    volatile boolean holdFirst;
    volatile @Nullable String goneStream;
    final List<Long> times = List.of(100L, 200L, 300L, 400L);
    final ExecutorService readers = Executors.newCachedThreadPool();
    final ExecutorService calls = Executors.newSingleThreadExecutor();
    final SharedFilterReads shared = new SharedFilterReads(this::page, calls, new SimpleMeterRegistry());

    @AfterEach
    void tearDown() {
        firstCallHeld.countDown();
        readers.shutdownNow();
        calls.shutdownNow();
    }

    FilterLogEventsResponse page(
            dev.vpcflowlogs.recorder.config.Place place,
            String group,
            List<String> streams,
            long from,
            long to,
            @Nullable String token) {
        asked.add(new Asked(List.copyOf(streams), from, to));
        if (holdFirst && asked.size() == 1) {
            try {
                firstCallHeld.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (goneStream != null && streams.contains(goneStream)) {
            throw new ProviderException(
                    "FilterLogEvents",
                    SharedFilterReads.RESOURCE_NOT_FOUND,
                    "The specified log stream does not exist.",
                    false,
                    null);
        }
        List<FilteredLogEvent> events = new ArrayList<>();
        for (long t : times) {
            for (String s : streams) {
                if (t >= from && t <= to) {
                    events.add(FilteredLogEvent.builder()
                            .logStreamName(s)
                            .timestamp(t)
                            .message(s + "@" + t)
                            .build());
                }
            }
        }
        return FilterLogEventsResponse.builder().events(events).build();
    }

    /** A read on a thread of its own, as a report's: its messages, and what the call returned. */
    record Reading(List<String> messages, CompletableFuture<Map<String, Long>> records) {}

    Reading read(List<String> streams, long from, long to) {
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Map<String, Long>> records = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return shared.read(TestProperties.HOME, GROUP, streams, from, to, (t, m) -> messages.add(m));
                    } catch (InterruptedException | ExecutionException e) {
                        throw new IllegalStateException(e.getCause() == null ? e : e.getCause());
                    }
                },
                readers);
        return new Reading(messages, records);
    }

    @Test
    void readsWaitingTogetherShareOneCallAndEachGetsItsOwnStreamsAndWindow() throws Exception {
        holdFirst = true;
        Reading first = read(List.of("eni-a-all"), 0, 1_000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> asked.size() == 1);
        Reading b = read(List.of("eni-b-all", "eni-c-all"), 150, 350);
        // One after the other, so that the shared call names their streams in the order they came.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> shared.waiting() == 1);
        Reading d = read(List.of("eni-d-all"), 300, 1_000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> shared.waiting() == 2);

        firstCallHeld.countDown();

        assertThat(first.records().get(10, TimeUnit.SECONDS)).containsExactly(Map.entry("eni-a-all", 4L));
        assertThat(b.records().get(10, TimeUnit.SECONDS))
                .containsOnly(Map.entry("eni-b-all", 2L), Map.entry("eni-c-all", 2L));
        assertThat(b.messages())
                .containsExactlyInAnyOrder("eni-b-all@200", "eni-c-all@200", "eni-b-all@300", "eni-c-all@300");
        assertThat(d.records().get(10, TimeUnit.SECONDS)).containsExactly(Map.entry("eni-d-all", 2L));
        assertThat(d.messages()).containsExactly("eni-d-all@300", "eni-d-all@400");
        // Two calls, not three: the second names both waiting reads' streams over the union of their windows.
        assertThat(asked)
                .containsExactly(
                        new Asked(List.of("eni-a-all"), 0, 1_000),
                        new Asked(List.of("eni-b-all", "eni-c-all", "eni-d-all"), 150, 1_000));
    }

    @Test
    void aReportThatStopsReadingLeavesTheOthersTheirRecords() throws Exception {
        holdFirst = true;
        Reading first = read(List.of("eni-a-all"), 0, 1_000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> asked.size() == 1);
        List<String> stopped = new ArrayList<>();
        CompletableFuture<Map<String, Long>> tooBig = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return shared.read(TestProperties.HOME, GROUP, List.of("eni-b-all"), 0, 1_000, (t, m) -> {
                            stopped.add(m);
                            throw new IllegalStateException("too big to stream");
                        });
                    } catch (InterruptedException | ExecutionException e) {
                        throw new IllegalStateException(e.getCause());
                    }
                },
                readers);
        Reading other = read(List.of("eni-c-all"), 0, 1_000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> shared.waiting() == 2);

        firstCallHeld.countDown();

        assertThat(first.records().get(10, TimeUnit.SECONDS)).containsEntry("eni-a-all", 4L);
        assertThatThrownBy(() -> tooBig.get(10, TimeUnit.SECONDS)).hasMessageContaining("too big to stream");
        assertThat(stopped).as("nothing more after it stopped").hasSize(1);
        assertThat(other.records().get(10, TimeUnit.SECONDS)).containsEntry("eni-c-all", 4L);
        assertThat(other.messages()).hasSize(4);
    }

    @Test
    void aStreamGoneFromOneReadFailsThatReadOnly() throws Exception {
        holdFirst = true;
        goneStream = "eni-gone-all";
        Reading first = read(List.of("eni-a-all"), 0, 1_000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> asked.size() == 1);
        Reading gone = read(List.of("eni-gone-all"), 0, 1_000);
        Reading kept = read(List.of("eni-b-all"), 0, 1_000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> shared.waiting() == 2);

        firstCallHeld.countDown();

        assertThat(first.records().get(10, TimeUnit.SECONDS)).containsEntry("eni-a-all", 4L);
        assertThat(kept.records().get(10, TimeUnit.SECONDS)).containsEntry("eni-b-all", 4L);
        assertThat(kept.messages()).as("each record once").hasSize(4);
        assertThatThrownBy(() -> gone.records().get(10, TimeUnit.SECONDS)).hasMessageContaining("does not exist");
    }

    @Test
    void readsNamingMoreThanAHundredStreamsTogetherAreNotShared() throws Exception {
        holdFirst = true;
        Reading first = read(List.of("eni-a-all"), 0, 1_000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> asked.size() == 1);
        Reading sixty = read(streams("x", 60), 0, 1_000);
        Reading fifty = read(streams("y", 50), 0, 1_000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> shared.waiting() == 2);

        firstCallHeld.countDown();

        assertThat(sixty.records().get(10, TimeUnit.SECONDS)).hasSize(60);
        assertThat(fifty.records().get(10, TimeUnit.SECONDS)).hasSize(50);
        assertThat(asked).hasSize(3).allSatisfy(a -> assertThat(a.streams()).hasSizeLessThanOrEqualTo(100));
    }

    @Test
    void readsOfWindowsApartAreNotShared() throws Exception {
        holdFirst = true;
        Reading first = read(List.of("eni-a-all"), 0, 1_000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> asked.size() == 1);
        Reading early = read(List.of("eni-b-all"), 0, 150);
        Reading late = read(List.of("eni-c-all"), 350, 1_000);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> shared.waiting() == 2);

        firstCallHeld.countDown();

        assertThat(early.records().get(10, TimeUnit.SECONDS)).containsExactly(Map.entry("eni-b-all", 1L));
        assertThat(late.records().get(10, TimeUnit.SECONDS)).containsExactly(Map.entry("eni-c-all", 1L));
        assertThat(asked).hasSize(3);
    }

    static List<String> streams(String prefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "eni-" + prefix + i + "-all")
                .toList();
    }
}
