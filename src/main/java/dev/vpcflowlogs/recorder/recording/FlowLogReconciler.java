package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.ManagedFlowLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
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

    private final FlowLogProvider flowLogs;
    private final RecordingStore store;
    private final LockingTaskExecutor locks;
    private final TaskScheduler scheduler;
    private final StoreInitializer storeInitializer;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Duration interval;

    FlowLogReconciler(
            FlowLogProvider flowLogs,
            RecordingStore store,
            LockingTaskExecutor locks,
            TaskScheduler scheduler,
            StoreInitializer storeInitializer,
            Clock clock,
            MeterRegistry meters,
            RecorderProperties properties) {
        this.flowLogs = flowLogs;
        this.store = store;
        this.locks = locks;
        this.scheduler = scheduler;
        this.storeInitializer = storeInitializer;
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
        if (!storeInitializer.isReady()) {
            return;
        }
        Instant now = clock.instant();
        try {
            locks.executeWithLock(
                    (Runnable) this::reconcile,
                    new LockConfiguration(now, LOCK, interval.multipliedBy(2), Duration.ZERO));
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
            Optional<String> reason = reasonToDelete(flowLog, now);
            reason.ifPresent(why -> {
                doomed.add(flowLog.flowLogId());
                meters.counter("recorder.reconciler.deleted", "reason", why).increment();
                log.warn(
                        "Flow log {} on {} (recording {}) is deleted by the reconciler: {}.",
                        flowLog.flowLogId(),
                        flowLog.resourceId(),
                        flowLog.recordingId(),
                        why);
            });
        }
        for (int i = 0; i < doomed.size(); i += 1000) {
            flowLogs.delete(doomed.subList(i, Math.min(i + 1000, doomed.size())));
        }
        meters.counter("recorder.reconciler.runs", "result", "completed").increment();
        log.debug(
                "The reconciler checked {} flow log(s) of the recorder's and deleted {}.", found.size(), doomed.size());
    }

    private Optional<String> reasonToDelete(ManagedFlowLog flowLog, Instant now) {
        boolean expired = flowLog.expiresAt() != null && now.isAfter(flowLog.expiresAt());
        Optional<Recording> recording =
                flowLog.recordingId() == null ? Optional.empty() : store.find(flowLog.recordingId());
        if (recording.isEmpty()) {
            // Unknown: the store was lost, or another recorder owns it. Only its deadline makes it ours to end.
            return expired ? Optional.of("unknown-recording-expired") : Optional.empty();
        }
        Recording r = recording.get();
        if (!r.state().isActive()) {
            return Optional.of("recording-finished");
        }
        if (r.state() != RecordingState.STARTING && !r.flowLogIds().contains(flowLog.flowLogId())) {
            return Optional.of("not-part-of-its-recording");
        }
        // An active recording's own deadline stops it; the deadline sweep retries a stop that failed.
        return Optional.empty();
    }
}
