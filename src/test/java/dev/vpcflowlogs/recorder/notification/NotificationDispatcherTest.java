package dev.vpcflowlogs.recorder.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.ManualScheduler;
import dev.vpcflowlogs.recorder.MutableClock;
import dev.vpcflowlogs.recorder.TestDatabase;
import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingEnded;
import dev.vpcflowlogs.recorder.recording.RecordingQueries;
import dev.vpcflowlogs.recorder.report.ReportOutcome;
import dev.vpcflowlogs.recorder.report.StoredReport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Durable delivery: due notifications go out once, failures come back a minute later, nothing waits forever. */
class NotificationDispatcherTest {

    static final Instant T0 = Instant.parse("2026-11-20T09:30:00Z");

    final TestDatabase database = TestDatabase.h2();
    final MutableClock clock = new MutableClock(T0);
    final ManualScheduler scheduler = new ManualScheduler();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final NotificationStore store = new NotificationStore(database.jdbc());
    final Map<String, Recording> recordings = new ConcurrentHashMap<>();
    final List<Notification> delivered = new ArrayList<>();
    volatile RuntimeException channelFailure;
    final List<Recording> reported = new ArrayList<>();

    final NotificationChannel channel = new NotificationChannel() {
        @Override
        public void send(Notification notification) {
            if (channelFailure != null) {
                throw channelFailure;
            }
            delivered.add(notification);
        }

        @Override
        public String name() {
            return "test channel";
        }
    };

    final RecordingQueries queries = new RecordingQueries() {
        @Override
        public List<Recording> active() {
            return List.of();
        }

        @Override
        public List<Recording> recent(int limit) {
            return List.copyOf(recordings.values());
        }

        @Override
        public Optional<Recording> find(String id) {
            return Optional.ofNullable(recordings.get(id));
        }
    };

    final NotificationDispatcher dispatcher = new NotificationDispatcher(
            store,
            queries,
            r -> {
                reported.add(r);
                return new ReportOutcome.Ready(
                        new StoredReport(r.id(), StoredReport.Status.FAILED, "no records", null, null, 2));
            },
            new NotificationComposer(TestProperties.defaults(), TestProperties.places()),
            List.of(channel),
            () -> true,
            scheduler,
            Runnable::run,
            clock,
            meters);

    final RecordingEndedListener listener =
            new RecordingEndedListener(store, dispatcher, clock, TestProperties.defaults());

    @AfterEach
    void close() {
        database.close();
    }

    /** A recording ends: stored as the transaction would, armed as its commit would. */
    void ended(Recording r) {
        recordings.put(r.id(), r);
        database.endedRecording(r.id(), r.endedAt());
        listener.store(new RecordingEnded(r));
        listener.arm(new RecordingEnded(r));
    }

    double count(String result) {
        return meters.find("recorder.notifications").tags("result", result).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    @Test
    void aCompletedRecordingsNotificationWaitsForItsReportThenGoesOutOnce() {
        ended(EndedRecordings.completed("r1", T0));

        assertThat(scheduler.pending()).singleElement().satisfies(t -> assertThat(t.at)
                .isEqualTo(T0.plus(Duration.ofMinutes(5))));
        clock.advance(Duration.ofMinutes(5));
        scheduler.runDue(clock.instant());
        dispatcher.deliver("r1");

        assertThat(delivered).singleElement().satisfies(n -> assertThat(n.subject())
                .startsWith("Flow logs recorded on nat-0a1b2c3d4e5f60718"));
        assertThat(reported).extracting(Recording::id).containsExactly("r1");
        assertThat(store.find("r1")).hasValueSatisfying(n -> {
            assertThat(n.status()).isEqualTo(NotificationStore.Status.SENT);
            assertThat(n.body()).contains("Report           not available: no records");
        });
        assertThat(count("sent")).isEqualTo(1);
    }

    @Test
    void aFailedRecordingsNotificationGoesAtOnce() {
        ended(EndedRecordings.failed("r2", T0));

        scheduler.runDue(clock.instant());

        assertThat(delivered).singleElement().satisfies(n -> {
            assertThat(n.subject()).startsWith("Recording FAILED on nat-0a1b2c3d4e5f60718");
            assertThat(n.body()).contains("no flow log was created").doesNotContain("Report ");
        });
    }

    @Test
    void aChannelThatFailsIsTriedAgainAMinuteLaterAndTheErrorIsKept() {
        channelFailure = new IllegalStateException("the topic answered 500");
        ended(EndedRecordings.failed("r3", T0));
        scheduler.runDue(clock.instant());

        assertThat(delivered).isEmpty();
        assertThat(count("failed")).isEqualTo(1);
        assertThat(store.find("r3")).hasValueSatisfying(n -> {
            assertThat(n.status()).isEqualTo(NotificationStore.Status.PENDING);
            assertThat(n.error()).contains("the topic answered 500");
            assertThat(n.dueAt()).isEqualTo(T0.plus(NotificationDispatcher.RETRY));
        });

        channelFailure = null;
        clock.advance(NotificationDispatcher.RETRY);
        scheduler.runDue(clock.instant());

        assertThat(delivered).hasSize(1);
        assertThat(store.find("r3"))
                .hasValueSatisfying(n -> assertThat(n.attempts()).isEqualTo(2));
    }

    @Test
    void aNotificationAnotherReplicaHoldsIsLeftToIt() {
        ended(EndedRecordings.failed("r4", T0));
        assertThat(store.claim("r4", T0, T0.plus(NotificationDispatcher.LEASE))).isTrue();

        dispatcher.deliver("r4");

        assertThat(delivered).isEmpty();
    }

    @Test
    void afterARestartEveryPendingNotificationIsArmedAgainAndTheSweepFindsWhatIsDue() {
        recordings.put("r5", EndedRecordings.failed("r5", T0));
        database.endedRecording("r5", T0);
        store.add("r5", T0.plusSeconds(30), T0);

        dispatcher.resume();
        assertThat(scheduler.pending()).singleElement().satisfies(t -> assertThat(t.at)
                .isEqualTo(T0.plusSeconds(30)));

        clock.advance(Duration.ofSeconds(30));
        dispatcher.sweep();
        assertThat(delivered).hasSize(1);
    }
}
