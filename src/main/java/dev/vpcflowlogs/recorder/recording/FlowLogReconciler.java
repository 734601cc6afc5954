package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.ManagedFlowLog;
import dev.vpcflowlogs.recorder.system.OneReplica;
import dev.vpcflowlogs.recorder.system.Reconciliation;
import dev.vpcflowlogs.recorder.system.StoreReadiness;
import dev.vpcflowlogs.recorder.system.StoreReady;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Nothing the recorder made outlives its purpose. At start-up and every {@code recorder.reconciler.interval}, on one
 * replica at a time, it lists the flow logs carrying the recorder's tag and deletes those whose recording is
 * finished, those no recording knows once their {@code expires-at} has passed (a lost store), and those that are not
 * part of their recording. An unknown one whose deadline is still to come gets that deadline stored
 * ({@link OrphanDeadlines}), so it ends on time. A flow log without the tag is never listed, so never touched.
 */
@Component
class FlowLogReconciler {

    private static final Logger log = LoggerFactory.getLogger(FlowLogReconciler.class);
    static final String LOCK = "flow-log-reconciler";
    static final int DELETE_BATCH = 1000;

    /** Why a flow log is deleted; the {@code reason} tag of {@code recorder.reconciler.deleted}. */
    enum DeletionReason {
        RECORDING_FINISHED,
        UNKNOWN_RECORDING_EXPIRED,
        NOT_PART_OF_ITS_RECORDING;

        String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final FlowLogProvider flowLogs;
    private final RecordingStore recordings;
    private final OrphanDeadlines orphans;
    private final OneReplica oneReplica;
    private final TaskScheduler scheduler;
    private final StoreReadiness store;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Duration interval;
    private final Places places;
    private final StartBatchStore batches;
    private final Reconciliation<Place> shell;

    FlowLogReconciler(
            FlowLogProvider flowLogs,
            RecordingStore recordings,
            OrphanDeadlines orphans,
            OneReplica oneReplica,
            TaskScheduler scheduler,
            StoreReadiness store,
            Clock clock,
            MeterRegistry meters,
            RecorderProperties properties,
            Places places,
            StartBatchStore batches) {
        this.places = places;
        this.batches = batches;
        this.flowLogs = flowLogs;
        this.recordings = recordings;
        this.orphans = orphans;
        this.oneReplica = oneReplica;
        this.scheduler = scheduler;
        this.store = store;
        this.clock = clock;
        this.meters = meters;
        this.interval = properties.reconciler().interval();
        this.shell = new Reconciliation<>(
                "flow logs",
                LOCK,
                "recorder.reconciler.runs",
                () -> interval,
                places::all,
                this::reconcile,
                oneReplica,
                meters);
    }

    @EventListener(StoreReady.class)
    void atStartUp() {
        scheduler.schedule(this::runOnOneReplica, clock.instant());
    }

    @Scheduled(
            fixedDelayString = "${recorder.reconciler.interval:PT5M}",
            initialDelayString = "${recorder.reconciler.interval:PT5M}")
    void runOnOneReplica() {
        if (store.isReady()) {
            shell.runOnOneReplica();
        }
    }

    /**
     * One pass in every account and region, each with its own calls: it never lists or deletes one place's flow logs
     * with another's credentials. Package-private for tests.
     */
    void reconcile() {
        shell.runHere();
    }

    void reconcile(Place place) {
        Instant now = clock.instant();
        List<ManagedFlowLog> found =
                flowLogs.managedFlowLogs(place).stream().map(this::withOwner).toList();
        Map<String, DeletionReason> doomed = new LinkedHashMap<>();
        for (ManagedFlowLog flowLog : found) {
            Optional<DeletionReason> reason = reasonToDelete(place, flowLog, now);
            if (reason.isEmpty() && isOrphanBeforeItsDeadline(place, flowLog)) {
                orphans.noticed(place, flowLog);
            }
            if (reason.equals(Optional.of(DeletionReason.UNKNOWN_RECORDING_EXPIRED))
                    && !orphans.takeExpired(place, flowLog)) {
                continue;
            }
            reason.ifPresent(why -> {
                doomed.put(flowLog.flowLogId(), why);
                log.warn(
                        "Flow log {} on {} in {} (recording {}) is deleted by the reconciler: {}.",
                        flowLog.flowLogId(),
                        flowLog.resourceId(),
                        place,
                        flowLog.recordingId(),
                        why.tag());
            });
        }
        List<String> ids = List.copyOf(doomed.keySet());
        for (int i = 0; i < ids.size(); i += DELETE_BATCH) {
            List<String> batch = ids.subList(i, Math.min(i + DELETE_BATCH, ids.size()));
            try {
                flowLogs.delete(place, batch);
            } catch (RuntimeException e) {
                orphans.released(batch);
                throw e;
            }
            // Counted once deleted: a delete AWS refuses is tried again at the next pass, and counted then.
            for (String id : batch) {
                meters.counter(
                                "recorder.reconciler.deleted",
                                "reason",
                                Objects.requireNonNull(doomed.get(id)).tag(),
                                "account",
                                place.accountTag(),
                                "region",
                                place.region())
                        .increment();
                orphans.ended(id);
            }
        }
        orphans.listed(
                place, found.stream().map(ManagedFlowLog::flowLogId).collect(java.util.stream.Collectors.toSet()));
        log.debug(
                "The reconciler checked {} flow log(s) of the recorder's in {} and deleted {}.",
                found.size(),
                place,
                ids.size());
    }

    /**
     * A flow log of a call that recordings shared carries the batch's token, not a recording's id: the batch's members
     * say whose it is, by its resource.
     */
    private ManagedFlowLog withOwner(ManagedFlowLog flowLog) {
        if (flowLog.recordingId() != null || flowLog.batch() == null) {
            return flowLog;
        }
        return batches.ownerOf(flowLog.batch(), flowLog.resourceId())
                .map(flowLog::ownedBy)
                .orElse(flowLog);
    }

    /** No recording knows it, and its deadline is to come: it is ended then, not at a later pass. */
    private boolean isOrphanBeforeItsDeadline(Place place, ManagedFlowLog flowLog) {
        return flowLog.expiresAt() != null && recordingHere(place, flowLog).isEmpty();
    }

    /** The flow log's recording, if it is one of this place's: a recording elsewhere does not own it. */
    private Optional<Recording> recordingHere(Place place, ManagedFlowLog flowLog) {
        return flowLog.recordingId() == null
                ? Optional.empty()
                : recordings.find(flowLog.recordingId()).filter(r -> r.place().equals(place));
    }

    private Optional<DeletionReason> reasonToDelete(Place place, ManagedFlowLog flowLog, Instant now) {
        boolean expired = flowLog.expiresAt() != null && now.isAfter(flowLog.expiresAt());
        Optional<Recording> recording = recordingHere(place, flowLog);
        if (recording.isEmpty()) {
            // Unknown: the store was lost, or another recorder owns it. Only its deadline makes it ours to end.
            return expired ? Optional.of(DeletionReason.UNKNOWN_RECORDING_EXPIRED) : Optional.empty();
        }
        Recording r = recording.get();
        if (!r.state().isActive()) {
            // Ended after this pass listed the flow logs: the listing came before the recording's own deletes, which
            // have run since (the next pass deletes whatever they left).
            if (r.endedAt() != null && r.endedAt().isAfter(now)) {
                return Optional.empty();
            }
            return Optional.of(DeletionReason.RECORDING_FINISHED);
        }
        if (r.state() != RecordingState.STARTING && !r.flowLogIds().contains(flowLog.flowLogId())) {
            return Optional.of(DeletionReason.NOT_PART_OF_ITS_RECORDING);
        }
        // An active recording's own deadline stops it; the deadline sweep retries a stop that failed.
        return Optional.empty();
    }
}
