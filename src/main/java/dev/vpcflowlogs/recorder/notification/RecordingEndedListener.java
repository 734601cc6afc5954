package dev.vpcflowlogs.recorder.notification;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingEnded;
import dev.vpcflowlogs.recorder.recording.RecordingState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Stores a notification for every recording that ends, in the transaction that stores its end, and arms its delivery
 * once that transaction commits. A completed recording's notification waits for the spike report's delay; a failed
 * one goes at once.
 */
@Component
class RecordingEndedListener {

    private final NotificationStore store;
    private final NotificationDispatcher dispatcher;
    private final Clock clock;
    private final Duration reportDelay;

    RecordingEndedListener(
            NotificationStore store, NotificationDispatcher dispatcher, Clock clock, RecorderProperties properties) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.reportDelay = properties.report().enabled() ? properties.report().delay() : Duration.ZERO;
    }

    @EventListener
    void store(RecordingEnded ended) {
        Recording r = ended.recording();
        store.add(r.id(), dueAt(r), clock.instant());
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void arm(RecordingEnded ended) {
        dispatcher.schedule(ended.recording().id(), dueAt(ended.recording()));
    }

    private Instant dueAt(Recording r) {
        Instant ended = Objects.requireNonNull(r.endedAt(), "an ended recording has its end");
        return r.state() == RecordingState.COMPLETED ? ended.plus(reportDelay) : ended;
    }
}
