package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.recording.Action.CreateFlowLogs;
import dev.vpcflowlogs.recorder.recording.Action.DeleteFlowLogs;
import dev.vpcflowlogs.recorder.recording.Action.Notify;
import dev.vpcflowlogs.recorder.recording.AlarmSignal.AlarmState;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.CreatedFlowLogs;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.FlowLogRequest;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AlarmCleared;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AlarmRaised;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AwsUnavailable;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.DeadlineReached;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsCreated;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsDeleted;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.GatewayUnwatched;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.StartFailed;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the transitions: for each event it stores the {@link Decision} in one transaction, then performs its actions
 * and feeds AWS's answers back in as events. Everything that happens to one gateway is serialized.
 */
@Service
public class RecordingService {

    private static final Logger log = LoggerFactory.getLogger(RecordingService.class);
    /** How long a handled event id is remembered; SQS keeps a message at most 14 days. */
    private static final Duration DEDUPLICATION_WINDOW = Duration.ofDays(14);

    private final RecordingStore store;
    private final FlowLogProvider flowLogs;
    private final NotificationDispatcher notifications;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final RecordingPolicy policy;
    private final GatewayLocks locks;
    private final DeadlineScheduler deadlines;
    private final StoreInitializer storeInitializer;
    private final MeterRegistry meters;

    RecordingService(
            RecordingStore store,
            FlowLogProvider flowLogs,
            NotificationDispatcher notifications,
            TransactionTemplate tx,
            Clock clock,
            RecordingPolicy policy,
            GatewayLocks locks,
            DeadlineScheduler deadlines,
            StoreInitializer storeInitializer,
            MeterRegistry meters) {
        this.store = store;
        this.flowLogs = flowLogs;
        this.notifications = notifications;
        this.tx = tx;
        this.clock = clock;
        this.policy = policy;
        this.locks = locks;
        this.deadlines = deadlines;
        this.storeInitializer = storeInitializer;
        this.meters = meters;
        Gauge.builder("recorder.recordings.active", store, RecordingStore::countActive)
                .description("Recordings that hold flow logs or are starting or stopping them")
                .register(meters);
    }

    /**
     * Handles an alarm state change of a watched gateway.
     *
     * @throws RecordingDeferredException when it cannot be handled now: the message must be retried later
     */
    public SignalOutcome handle(AlarmSignal signal) {
        return locks.withLock(signal.gatewayId(), () -> {
            if (Boolean.TRUE.equals(tx.execute(s -> store.isHandled(signal.eventId(), signal.gatewayId())))) {
                return new SignalOutcome(Verdict.DUPLICATE, "event-already-handled");
            }
            RecordingEvent event = signal.state() == AlarmState.ALARM
                    ? new AlarmRaised(
                            signal.eventId(),
                            signal.stateTime(),
                            UUID.randomUUID().toString())
                    : new AlarmCleared(signal.eventId(), signal.stateTime());
            Decision first = run(signal.gatewayId(), event);
            if (first.verdict() == Verdict.DEFERRED) {
                throw new RecordingDeferredException(
                        first.reason(), "gateway " + signal.gatewayId() + ": the previous recording is still stopping");
            }
            // AWS being unavailable is no reason to retry the message: the recording is stored with its retry
            // deadline and tries again by itself. A redelivered ALARM arriving after that recording ended would
            // start a second one for the same event.
            SignalOutcome outcome = new SignalOutcome(first.verdict(), first.reason());
            tx.executeWithoutResult(
                    s -> store.markHandled(signal.eventId(), signal.gatewayId(), outcome, clock.instant()));
            return outcome;
        });
    }

    /**
     * Ends the active recordings of gateways that are no longer watched: those holding flow logs stop now (their
     * flow logs are deleted and the notification says why).
     *
     * @return how many were ended; none while the store is not ready
     */
    public int endUnwatched(Predicate<String> watched) {
        if (!storeInitializer.isReady()) {
            return 0;
        }
        List<Recording> active = tx.execute(s -> store.active());
        int ended = 0;
        for (Recording r : active == null ? List.<Recording>of() : active) {
            if (!watched.test(r.gatewayId()) && r.state() != RecordingState.STOPPING) {
                Decision first = locks.withLock(r.gatewayId(), () -> run(r.gatewayId(), new GatewayUnwatched(r.id())));
                if (first.verdict() == Verdict.ACTED) {
                    ended++;
                }
            }
        }
        return ended;
    }

    /** A recording's deadline came: stop it, or retry its start or stop. */
    void onDeadline(String recordingId) {
        try {
            Optional<Recording> recording = tx.execute(s -> store.find(recordingId));
            if (recording == null || recording.isEmpty()) {
                return;
            }
            String gatewayId = recording.get().gatewayId();
            locks.withLock(gatewayId, () -> run(gatewayId, new DeadlineReached(recordingId)));
        } catch (RuntimeException e) {
            log.warn(
                    "Recording {} could not be advanced at its deadline ({}); the next sweep retries it.",
                    recordingId,
                    Failures.rootMessage(e));
        }
    }

    /** At start-up (or once the store is back): every stored deadline is armed again. */
    @EventListener(StoreReady.class)
    void resume() {
        try {
            List<Recording> active = store.active();
            active.forEach(this::arm);
            if (!active.isEmpty()) {
                log.info(
                        "Resumed {} active recording(s) from the store; their deadlines are armed again.",
                        active.size());
            }
        } catch (RuntimeException e) {
            log.warn(
                    "Active recordings could not be read at start-up ({}); the deadline sweep will find them.",
                    Failures.rootMessage(e));
        }
    }

    /** Safety net: anything whose deadline passed without its timer firing (a failed call, a lost timer). */
    @Scheduled(
            fixedDelayString = "${recorder.recording.sweep-interval:PT30S}",
            initialDelayString = "${recorder.recording.sweep-interval:PT30S}")
    void sweep() {
        if (!storeInitializer.isReady()) {
            return;
        }
        try {
            store.due(clock.instant()).forEach(r -> onDeadline(r.id()));
            notifications.deliverDue();
        } catch (RuntimeException e) {
            log.warn("The deadline sweep could not read the store ({}).", Failures.rootMessage(e));
        }
    }

    @Scheduled(fixedDelay = 1, timeUnit = TimeUnit.HOURS, initialDelay = 1)
    void forgetOldEvents() {
        if (storeInitializer.isReady()) {
            int forgotten = store.forgetHandledBefore(clock.instant().minus(DEDUPLICATION_WINDOW));
            log.debug("Forgot {} handled event id(s) older than {}.", forgotten, DEDUPLICATION_WINDOW);
        }
    }

    /** Applies an event and every event its actions lead to, under the gateway's lock; returns the first decision. */
    private Decision run(String gatewayId, RecordingEvent initial) {
        Deque<RecordingEvent> pending = new ArrayDeque<>(List.of(initial));
        Decision first = null;
        while (!pending.isEmpty()) {
            Decision decision = step(gatewayId, pending.poll());
            if (first == null) {
                first = decision;
            }
            for (Action action : decision.actions()) {
                RecordingEvent answer = perform(action);
                if (answer != null) {
                    pending.add(answer);
                }
            }
        }
        return first;
    }

    private Decision step(String gatewayId, RecordingEvent event) {
        // The store keeps microseconds: what is decided in memory must equal what is read back after a restart.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        record Stored(GatewaySnapshot before, Decision decision) {}
        Stored stored = tx.execute(s -> {
            GatewaySnapshot gateway = store.gateway(gatewayId);
            Decision decision = Transitions.decide(gateway, event, now, policy);
            boolean changes = decision.recording() != null
                    || decision.countsNewRecording()
                    || !Objects.equals(decision.lastStateTime(), gateway.lastStateTime());
            if (changes) {
                store.apply(gateway, decision);
            }
            return new Stored(gateway, decision);
        });
        Decision decision = stored.decision();
        if (decision.recording() != null) {
            Recording before = stored.before().active();
            afterCommit(
                    before != null && before.id().equals(decision.recording().id()) ? before : null, decision);
        }
        return decision;
    }

    private void afterCommit(Recording before, Decision decision) {
        Recording r = decision.recording();
        if (r.state().isActive() && r.nextDeadline() != null) {
            arm(r);
        } else {
            deadlines.disarm(r.id());
        }
        RecordingState from = before == null ? null : before.state();
        if (from != r.state()) {
            countTransition(r);
            log.info(
                    "Gateway {} recording {}: {} -> {} ({}){}.",
                    r.gatewayId(),
                    r.id(),
                    from == null ? "new" : from,
                    r.state(),
                    decision.reason(),
                    describe(r));
        } else if (decision.verdict() == Verdict.DEFERRED) {
            log.warn(
                    "Gateway {} recording {}: still {} after attempt {} ({}); retrying at {}.",
                    r.gatewayId(),
                    r.id(),
                    r.state(),
                    r.attempts(),
                    r.failure(),
                    r.nextDeadline());
        }
    }

    private void countTransition(Recording r) {
        String result =
                switch (r.state()) {
                    case STARTING -> "started";
                    case COMPLETED -> "completed";
                    case FAILED -> "failed";
                    case SKIPPED -> "skipped";
                    default -> null;
                };
        if (result != null) {
            meters.counter("recorder.recordings", "result", result).increment();
        }
    }

    private static String describe(Recording r) {
        return switch (r.state()) {
            case RECORDING, TAILING ->
                ", " + r.flowLogIds().size() + " flow log(s) on "
                        + r.interfaceIds().size()
                        + " interface(s)"
                        + (r.interfaceFailures().isEmpty() ? "" : ", failed on " + r.interfaceFailures())
                        + (r.tailEndsAt() == null ? ", until " + r.maxEndsAt() : ", until " + r.tailEndsAt());
            case STOPPING -> " because " + r.stopReason().description();
            case FAILED -> ": " + r.failure();
            case SKIPPED -> ": the gateway reached its limit of recordings";
            default -> "";
        };
    }

    private void arm(Recording r) {
        if (r.nextDeadline() != null) {
            deadlines.arm(r.id(), r.nextDeadline(), () -> onDeadline(r.id()));
        }
    }

    private RecordingEvent perform(Action action) {
        if (action instanceof CreateFlowLogs create) {
            return createFlowLogs(create.recording());
        }
        if (action instanceof DeleteFlowLogs delete) {
            return deleteFlowLogs(delete.recording());
        }
        if (action instanceof Notify notify) {
            notifications.schedule(notify.recording());
            return null;
        }
        throw new IllegalArgumentException("unknown action " + action);
    }

    private RecordingEvent createFlowLogs(Recording r) {
        try {
            List<String> interfaces = flowLogs.networkInterfacesOf(r.gatewayId());
            if (interfaces.isEmpty()) {
                return new StartFailed(r.id(), "NAT gateway " + r.gatewayId() + " has no network interface");
            }
            CreatedFlowLogs created =
                    flowLogs.create(new FlowLogRequest(r.id(), r.gatewayId(), interfaces, r.maxEndsAt()));
            return new FlowLogsCreated(r.id(), interfaces, created.flowLogIds(), created.failures());
        } catch (ProviderException e) {
            return e.retryable() ? new AwsUnavailable(r.id(), e.getMessage()) : new StartFailed(r.id(), e.getMessage());
        } catch (RuntimeException e) {
            return new AwsUnavailable(r.id(), Failures.rootMessage(e));
        }
    }

    private RecordingEvent deleteFlowLogs(Recording r) {
        try {
            if (!r.flowLogIds().isEmpty()) {
                flowLogs.delete(r.flowLogIds());
            }
            return new FlowLogsDeleted(r.id());
        } catch (RuntimeException e) {
            // A stop is never given up: the flow logs would keep recording (and costing) otherwise.
            String cause = e instanceof ProviderException ? e.getMessage() : Failures.rootMessage(e);
            log.error(
                    "Gateway {} recording {}: could not delete flow logs {} ({}); will retry.",
                    r.gatewayId(),
                    r.id(),
                    r.flowLogIds(),
                    cause);
            return new AwsUnavailable(r.id(), cause);
        }
    }
}
