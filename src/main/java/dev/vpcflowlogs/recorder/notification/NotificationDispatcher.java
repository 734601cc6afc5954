package dev.vpcflowlogs.recorder.notification;

import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingQueries;
import dev.vpcflowlogs.recorder.report.ReportOutcome;
import dev.vpcflowlogs.recorder.report.SpikeReports;
import dev.vpcflowlogs.recorder.report.StoredReport;
import dev.vpcflowlogs.recorder.system.Failures;
import dev.vpcflowlogs.recorder.system.StoreReadiness;
import dev.vpcflowlogs.recorder.system.StoreReady;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends each end-of-recording notification when it is due, at least once: a replica claims it with a lease, what went
 * out is stored, a failure (throttling, a server error, AWS out of reach) is retried with a growing delay, a refusal
 * for good ends it {@code rejected}, and due notifications are found again after a restart. The work (reading the
 * flow logs for the report, publishing) runs on its own executor, outside any gateway's lock.
 */
@Component
class NotificationDispatcher implements NotificationCommands {

    private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);
    /** The first wait after a failed attempt; it doubles with each attempt, up to {@link #MAX_RETRY}. */
    static final Duration RETRY = Duration.ofMinutes(1);

    static final Duration MAX_RETRY = Duration.ofHours(1);
    /** How long a replica holds a notification it delivers; the report's timeout fits well within. */
    static final Duration LEASE = Duration.ofMinutes(10);

    /** How a delivery attempt ended: the {@code result} tag of {@code recorder.notifications}. */
    enum Result {
        SENT,
        FAILED,
        REJECTED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final NotificationStore store;
    private final RecordingQueries recordings;
    private final SpikeReports reports;
    private final NotificationComposer composer;
    private final List<NotificationChannel> channels;
    private final StoreReadiness storeReadiness;
    private final TaskScheduler scheduler;
    private final TaskExecutor executor;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    NotificationDispatcher(
            NotificationStore store,
            RecordingQueries recordings,
            SpikeReports reports,
            NotificationComposer composer,
            List<NotificationChannel> channels,
            StoreReadiness storeReadiness,
            TaskScheduler scheduler,
            @Qualifier("notificationExecutor") TaskExecutor executor,
            Clock clock,
            MeterRegistry meters) {
        this.store = store;
        this.recordings = recordings;
        this.reports = reports;
        this.composer = composer;
        this.channels = channels;
        this.storeReadiness = storeReadiness;
        this.scheduler = scheduler;
        this.executor = executor;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Sends a recording's notification again, as an operator asked: it becomes due now (its text made again, with the
     * report as it is).
     *
     * @return false if the recording has no notification yet, or it is waiting to go out anyway
     */
    @Override
    public boolean sendAgain(String recordingId, String operator) {
        boolean again = store.again(recordingId, clock.instant());
        if (again) {
            log.info("Recording {}: {} asked for its notification again.", recordingId, operator);
            schedule(recordingId, clock.instant());
        }
        return again;
    }

    /** Delivers the recording's notification at {@code at}. */
    void schedule(String recordingId, Instant at) {
        scheduler.schedule(() -> executor.execute(() -> deliver(recordingId)), at);
    }

    /** After a restart, or once the store is back: every notification that has not gone out. */
    @EventListener(StoreReady.class)
    void resume() {
        try {
            store.adoptLegacy(clock.instant());
            store.pending().forEach(n -> schedule(n.recordingId(), n.dueAt()));
        } catch (RuntimeException e) {
            log.warn(
                    "Pending notifications could not be read ({}); the sweep will find them.", Failures.rootMessage(e));
        }
    }

    /** Safety net: notifications due whose timer did not fire (a failed delivery, a lost timer, another replica's). */
    @Scheduled(
            fixedDelayString = "${recorder.recording.sweep-interval:PT30S}",
            initialDelayString = "${recorder.recording.sweep-interval:PT30S}")
    void sweep() {
        if (!storeReadiness.isReady()) {
            return;
        }
        try {
            store.adoptLegacy(clock.instant());
            store.due(clock.instant()).forEach(n -> executor.execute(() -> deliver(n.recordingId())));
        } catch (RuntimeException e) {
            log.warn("The notification sweep could not read the store ({}).", Failures.rootMessage(e));
        }
    }

    void deliver(String recordingId) {
        if (!inFlight.add(recordingId)) {
            return;
        }
        try {
            Instant now = clock.instant();
            if (!store.claim(recordingId, now, now.plus(LEASE))) {
                return; // not due, delivered, or another replica's
            }
            Optional<Recording> found = recordings.find(recordingId);
            if (found.isPresent()) {
                int attempt = store.find(recordingId)
                        .map(NotificationStore.Stored::attempts)
                        .orElse(1);
                send(found.get(), attempt);
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

    private void send(Recording r, int attempt) {
        Notification notification = null;
        try {
            ReportOutcome outcome = reports.reportOf(r);
            if (outcome instanceof ReportOutcome.Later later) {
                // Records may still be on their way: the notification waits for the report's second attempt.
                store.postpone(r.id(), later.at(), "the report waits: " + later.why());
                schedule(r.id(), later.at());
                return;
            }
            StoredReport report = ((ReportOutcome.Ready) outcome).report();
            notification = composer.compose(r, report);
            log.info(
                    "Gateway {} recording {} ended: {}\n{}",
                    r.gatewayId(),
                    r.id(),
                    notification.subject(),
                    notification.body());
            for (NotificationChannel channel : channels) {
                channel.send(notification);
                log.info("Gateway {} recording {}: notification sent to {}.", r.gatewayId(), r.id(), channel.name());
            }
            store.sent(r.id(), notification, clock.instant());
            count(Result.SENT);
        } catch (NotificationRejectedException e) {
            count(Result.REJECTED);
            store.rejected(
                    r.id(),
                    Objects.requireNonNull(notification),
                    Objects.requireNonNullElse(e.getMessage(), e.toString()));
            log.error(
                    "Gateway {} recording {}: the end-of-recording notification was refused and is not sent again"
                            + " ({}); its text is at /actuator/recordings/{}.",
                    r.gatewayId(),
                    r.id(),
                    e.getMessage(),
                    r.id());
        } catch (RuntimeException e) {
            count(Result.FAILED);
            Instant retry = clock.instant().plus(retryDelay(attempt));
            String cause = Failures.rootMessage(e);
            store.postpone(r.id(), retry, cause);
            log.error(
                    "Gateway {} recording {}: the end-of-recording notification failed on attempt {} ({}); retrying at"
                            + " {}.",
                    r.gatewayId(),
                    r.id(),
                    attempt,
                    cause,
                    retry);
            schedule(r.id(), retry);
        }
    }

    /** One minute after the first failed attempt, doubling, at most an hour. */
    static Duration retryDelay(int attempt) {
        Duration delay = RETRY.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 10));
        return delay.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay;
    }

    private void count(Result result) {
        meters.counter("recorder.notifications", "result", result.tag()).increment();
    }
}
