package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.ManagedFlowLog;
import dev.vpcflowlogs.recorder.system.Failures;
import dev.vpcflowlogs.recorder.system.StoreReady;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Ends a flow log no recording knows (the store was lost) at its own deadline, its {@code expires-at} tag, not at the
 * reconciler's next pass: the reconciler stores the deadline, it is armed on the replica that found it and on every
 * replica at start-up, and the sweep of any replica fires it when its timer did not. One replica deletes it (a lease).
 */
@Component
class OrphanDeadlines {

    private static final Logger log = LoggerFactory.getLogger(OrphanDeadlines.class);
    static final Duration LEASE = Duration.ofSeconds(30);

    private final OrphanStore orphans;
    private final RecordingStore recordings;
    private final FlowLogProvider flowLogs;
    private final DeadlineTimers timers;
    private final Clock clock;
    private final MeterRegistry meters;

    OrphanDeadlines(
            OrphanStore orphans,
            RecordingStore recordings,
            FlowLogProvider flowLogs,
            DeadlineTimers timers,
            Clock clock,
            MeterRegistry meters) {
        this.orphans = orphans;
        this.recordings = recordings;
        this.flowLogs = flowLogs;
        this.timers = timers;
        this.clock = clock;
        this.meters = meters;
    }

    /** An orphan whose deadline has not come: remembered and armed. */
    void noticed(Place place, ManagedFlowLog orphan) {
        if (orphans.remember(place, orphan, clock.instant())) {
            log.warn(
                    "Flow log {} on {} in {} belongs to recording {}, which the store does not know; it is deleted at"
                            + " its deadline {}.",
                    orphan.flowLogId(),
                    orphan.resourceId(),
                    place,
                    orphan.recordingId(),
                    orphan.expiresAt());
        }
        arm(orphan);
    }

    /**
     * An orphan past its deadline, found by the reconciler: true if the reconciler is to delete it in its batch (it was
     * not known before, and is now claimed); false if its deadline's own path ends it (done here, claimed once across
     * timers, sweeps and replicas, so it is deleted and counted once).
     */
    boolean takeExpired(Place place, ManagedFlowLog orphan) {
        Instant now = clock.instant();
        if (orphans.remember(place, orphan, now)) {
            return orphans.claim(orphan.flowLogId(), now, now.plus(LEASE));
        }
        end(orphan.flowLogId());
        return false;
    }

    /** Claims of a batch the reconciler could not delete: due again, for its next pass or the sweep. */
    void released(List<String> flowLogIds) {
        orphans.release(flowLogIds, clock.instant());
    }

    /** One that the reconciler deleted itself (its deadline had passed) needs no deadline any more. */
    void ended(String flowLogId) {
        orphans.deleted(flowLogId, clock.instant());
        timers.disarm(key(flowLogId));
    }

    /** The reconciler's fresh listing of a place: orphans no longer in it are gone for good. */
    void listed(Place place, java.util.Set<String> flowLogIds) {
        orphans.forgetAbsent(place, flowLogIds);
    }

    @EventListener(StoreReady.class)
    void resume() {
        try {
            orphans.all().forEach(o -> arm(o.flowLog()));
        } catch (RuntimeException e) {
            log.warn("Orphan deadlines could not be read ({}); the sweep will find them.", Failures.rootMessage(e));
        }
    }

    /** From the sweep: orphans due whose timer did not fire here. */
    void endDue() {
        orphans.due(clock.instant()).forEach(this::end);
    }

    private void arm(ManagedFlowLog orphan) {
        timers.arm(key(orphan.flowLogId()), Objects.requireNonNull(orphan.expiresAt()), () -> end(orphan.flowLogId()));
    }

    private void end(String flowLogId) {
        try {
            Instant now = clock.instant();
            if (!orphans.claim(flowLogId, now, now.plus(LEASE))) {
                return; // not due yet, ended, or another replica's
            }
            OrphanStore.Orphan found = orphans.all().stream()
                    .filter(o -> o.flowLog().flowLogId().equals(flowLogId))
                    .findFirst()
                    .orElse(null);
            if (found == null) {
                return;
            }
            ManagedFlowLog orphan = found.flowLog();
            if (orphan.recordingId() != null) {
                boolean known = recordings
                        .find(orphan.recordingId())
                        .filter(r -> r.state().isActive())
                        .isPresent();
                if (known) {
                    // The recording is back (a restored store): its own deadline ends its flow logs.
                    orphans.forget(flowLogId);
                    return;
                }
            }
            flowLogs.delete(found.place(), List.of(flowLogId));
            orphans.deleted(flowLogId, clock.instant());
            meters.counter(
                            "recorder.reconciler.deleted",
                            "reason",
                            FlowLogReconciler.DeletionReason.UNKNOWN_RECORDING_EXPIRED.tag(),
                            "account",
                            found.place().accountTag(),
                            "region",
                            found.place().region())
                    .increment();
            log.warn("Flow log {} in {} of an unknown recording is deleted at its deadline.", flowLogId, found.place());
        } catch (RuntimeException e) {
            log.warn(
                    "Flow log {} of an unknown recording could not be deleted at its deadline ({}); the sweep tries"
                            + " again.",
                    flowLogId,
                    Failures.rootMessage(e));
        }
    }

    private static String key(String flowLogId) {
        return "orphan/" + flowLogId;
    }
}
