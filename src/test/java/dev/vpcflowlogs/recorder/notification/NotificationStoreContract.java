package dev.vpcflowlogs.recorder.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.TestDatabase;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the notification store must do on every database the recorder supports. */
abstract class NotificationStoreContract {

    static final Instant T0 = Instant.parse("2026-11-20T09:14:41.123456Z");

    TestDatabase database;
    NotificationStore store;

    abstract TestDatabase newDatabase();

    @BeforeEach
    void migrate() {
        database = newDatabase();
        store = new NotificationStore(database.jdbc());
        database.endedRecording("r1", T0);
    }

    @AfterEach
    void drop() {
        database.close();
    }

    @Test
    void remembersWhatIsDueWhoHoldsItAndHowItEnded() {
        Instant due = T0.plusSeconds(300);
        store.add("r1", due, T0);
        store.add("r1", due.plusSeconds(99), T0);

        assertThat(store.due(due.minusMillis(1))).isEmpty();
        assertThat(store.due(due))
                .extracting(NotificationStore.Stored::recordingId)
                .containsExactly("r1");
        assertThat(store.claim("r1", due.minusMillis(1), due.plusSeconds(30)))
                .as("not due yet")
                .isFalse();
        assertThat(store.claim("r1", due, due.plusSeconds(30))).isTrue();
        assertThat(store.claim("r1", due, due.plusSeconds(30)))
                .as("held by another")
                .isFalse();

        store.postpone("r1", due.plusSeconds(60), "Throttled: slow down");
        assertThat(store.due(due.plusSeconds(59))).isEmpty();
        assertThat(store.pending()).singleElement().satisfies(n -> {
            assertThat(n.attempts()).isEqualTo(1);
            assertThat(n.error()).isEqualTo("Throttled: slow down");
        });

        Notification text = new Notification("Flow logs recorded", "the body");
        assertThat(store.sent("r1", text, due.plusSeconds(61))).isTrue();
        assertThat(store.sent("r1", text, due.plusSeconds(62))).isFalse();
        assertThat(store.pending()).isEmpty();
        assertThat(store.find("r1")).hasValueSatisfying(n -> {
            assertThat(n.status()).isEqualTo(NotificationStore.Status.SENT);
            assertThat(n.sentAt()).isEqualTo(due.plusSeconds(61));
            assertThat(n.subject()).isEqualTo("Flow logs recorded");
            assertThat(n.body()).isEqualTo("the body");
            assertThat(n.error()).isNull();
        });
    }

    @Test
    void takesOverWhatAReplicaOfThePreviousVersionLeftOnTheRecording() {
        database.jdbc()
                .sql("update recording set notify_at = :at where id = 'r1'")
                .param("at", java.time.OffsetDateTime.parse("2026-11-20T09:20:00Z"))
                .update();

        assertThat(store.adoptLegacy(T0)).isEqualTo(1);
        assertThat(store.adoptLegacy(T0)).isZero();
        assertThat(store.pending()).singleElement().satisfies(n -> assertThat(n.dueAt())
                .isEqualTo(Instant.parse("2026-11-20T09:20:00Z")));
    }
}
