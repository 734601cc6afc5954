package dev.vpcflowlogs.recorder.recording;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Sends each end-of-recording notification when it is due, at least once: what went out is stored, a failure is
 * retried a minute later, and due notifications are found again after a restart. The work (reading the flow logs
 * for the report, publishing) runs on its own executor, outside any gateway's lock.
 */
@Component
class NotificationDispatcher {

    private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);
    static final Duration RETRY = Duration.ofMinutes(1);
    /** How long a replica holds a notification it delivers; the report's timeout fits well within. */
    static final Duration LEASE = Duration.ofMinutes(10);

    private final RecordingStore store;
    private final RecordingNotifier notifier;
    private final TaskScheduler scheduler;
    private final TaskExecutor executor;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    NotificationDispatcher(
            RecordingStore store,
            RecordingNotifier notifier,
            TaskScheduler scheduler,
            @Qualifier("notificationExecutor") TaskExecutor executor,
            Clock clock,
            MeterRegistry meters) {
        this.store = store;
        this.notifier = notifier;
        this.scheduler = scheduler;
        this.executor = executor;
        this.clock = clock;
        this.meters = meters;
    }

    /** Delivers the recording's notification at its {@code notifyAt}. */
    void schedule(Recording recording) {
        if (recording.notifyAt() != null && recording.notifiedAt() == null) {
            scheduler.schedule(() -> executor.execute(() -> deliver(recording.id())), recording.notifyAt());
        }
    }

    /** After a restart, or once the store is back: every notification that has not gone out. */
    @EventListener(StoreReady.class)
    void resume() {
        try {
            store.notificationsPending().forEach(this::schedule);
        } catch (RuntimeException e) {
            log.warn(
                    "Pending notifications could not be read ({}); the sweep will find them.", Failures.rootMessage(e));
        }
    }

    /** From the sweep: notifications due whose timer did not fire. */
    void deliverDue() {
        store.notificationsDue(clock.instant()).forEach(r -> executor.execute(() -> deliver(r.id())));
    }

    void deliver(String recordingId) {
        if (!inFlight.add(recordingId)) {
            return;
        }
        try {
            Instant now = clock.instant();
            if (!store.claimNotification(recordingId, now, now.plus(LEASE))) {
                return; // not due, delivered, or another replica's
            }
            Optional<Recording> found = store.find(recordingId);
            if (found.isEmpty()) {
                return;
            }
            Recording r = found.get();
            try {
                notifier.recordingEnded(r);
                store.markNotified(r.id(), clock.instant());
                meters.counter("recorder.notifications", "result", "sent").increment();
            } catch (RuntimeException e) {
                meters.counter("recorder.notifications", "result", "failed").increment();
                Instant retry = clock.instant().plus(RETRY);
                store.postponeNotification(r.id(), retry);
                log.error(
                        "Gateway {} recording {}: the end-of-recording notification failed ({}); retrying at {}.",
                        r.gatewayId(),
                        r.id(),
                        Failures.rootMessage(e),
                        retry);
                scheduler.schedule(() -> executor.execute(() -> deliver(recordingId)), retry);
            }
        } catch (RuntimeException e) {
            log.warn(
                    "Recording {}: its notification could not be handled ({}); the sweep retries it.",
                    recordingId,
                    Failures.rootMessage(e));
        } finally {
            inFlight.remove(recordingId);
        }
    }
}
