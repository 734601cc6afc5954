package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.ManagedFlowLog;
import dev.vpcflowlogs.recorder.system.Failures;
import dev.vpcflowlogs.recorder.system.OneReplica;
import dev.vpcflowlogs.recorder.system.StoreReadiness;
import dev.vpcflowlogs.recorder.system.StoreReady;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * part of their recording. A flow log without the tag is never listed, so never touched.
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
    private final OneReplica oneReplica;
    private final TaskScheduler scheduler;
    private final StoreReadiness store;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Duration interval;

    FlowLogReconciler(
            FlowLogProvider flowLogs,
            RecordingStore recordings,
            OneReplica oneReplica,
            TaskScheduler scheduler,
            StoreReadiness store,
            Clock clock,
            MeterRegistry meters,
            RecorderProperties properties) {
        this.flowLogs = flowLogs;
        this.recordings = recordings;
        this.oneReplica = oneReplica;
        this.scheduler = scheduler;
        this.store = store;
        this.clock = clock;
        this.meters = meters;
        this.interval = properties.reconciler().interval();
    }

    @EventListener(StoreReady.class)
    void atStartUp() {
        scheduler.schedule(this::runOnOneReplica, clock.instant());
    }

    @Scheduled(
            fixedDelayString = "${recorder.reconciler.interval:PT5M}",
            initialDelayString = "${recorder.reconciler.interval:PT5M}")
    void runOnOneReplica() {
        if (!store.isReady()) {
            return;
        }
        try {
            oneReplica.run(LOCK, interval.multipliedBy(2), this::reconcile);
        } catch (RuntimeException e) {
            meters.counter("recorder.reconciler.runs", "result", "failed").increment();
            log.warn(
                    "The flow log reconciler could not run ({}); it runs again in {}.",
                    Failures.rootMessage(e),
                    interval);
        }
    }

    /** One pass; package-private for tests. */
    void reconcile() {
        Instant now = clock.instant();
        List<ManagedFlowLog> found = flowLogs.managedFlowLogs();
        List<String> doomed = new ArrayList<>();
        for (ManagedFlowLog flowLog : found) {
            reasonToDelete(flowLog, now).ifPresent(why -> {
                doomed.add(flowLog.flowLogId());
                meters.counter("recorder.reconciler.deleted", "reason", why.tag())
                        .increment();
                log.warn(
                        "Flow log {} on {} (recording {}) is deleted by the reconciler: {}.",
                        flowLog.flowLogId(),
                        flowLog.resourceId(),
                        flowLog.recordingId(),
                        why.tag());
            });
        }
        for (int i = 0; i < doomed.size(); i += DELETE_BATCH) {
            flowLogs.delete(doomed.subList(i, Math.min(i + DELETE_BATCH, doomed.size())));
        }
        meters.counter("recorder.reconciler.runs", "result", "completed").increment();
        log.debug(
                "The reconciler checked {} flow log(s) of the recorder's and deleted {}.", found.size(), doomed.size());
    }

    private Optional<DeletionReason> reasonToDelete(ManagedFlowLog flowLog, Instant now) {
        boolean expired = flowLog.expiresAt() != null && now.isAfter(flowLog.expiresAt());
        Optional<Recording> recording =
                flowLog.recordingId() == null ? Optional.empty() : recordings.find(flowLog.recordingId());
        if (recording.isEmpty()) {
            // Unknown: the store was lost, or another recorder owns it. Only its deadline makes it ours to end.
            return expired ? Optional.of(DeletionReason.UNKNOWN_RECORDING_EXPIRED) : Optional.empty();
        }
        Recording r = recording.get();
        if (!r.state().isActive()) {
            return Optional.of(DeletionReason.RECORDING_FINISHED);
        }
        if (r.state() != RecordingState.STARTING && !r.flowLogIds().contains(flowLog.flowLogId())) {
            return Optional.of(DeletionReason.NOT_PART_OF_ITS_RECORDING);
        }
        // An active recording's own deadline stops it; the deadline sweep retries a stop that failed.
        return Optional.empty();
    }
}
