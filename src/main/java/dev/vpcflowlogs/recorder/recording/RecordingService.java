package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.recording.AlarmSignal.AlarmState;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AlarmCleared;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AlarmRaised;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.DeadlineReached;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.GatewayUnwatched;
import dev.vpcflowlogs.recorder.system.Failures;
import dev.vpcflowlogs.recorder.system.StoreReadiness;
import jakarta.annotation.PreDestroy;
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
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The handling loop: for each event it stores the {@link Decision} in one transaction, then has its actions performed
 * and feeds AWS's answers back in as events. Everything that happens to one gateway is serialized by its lock.
 */
@Service
class RecordingService implements Recordings {

    private static final Logger log = LoggerFactory.getLogger(RecordingService.class);

    private final GatewayStore gateways;
    private final RecordingStore recordings;
    private final HandledEvents handled;
    private final ActionRunner actions;
    private final DeadlineTimers timers;
    private final GatewayLocks locks;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final RecordingMetrics metrics;
    private final StoreReadiness store;
    private final Clock clock;
    private final RecordingPolicy policy;
    /** The starts and stops under way, sent and answered off the gateway's lock and the caller's thread. */
    private final BackgroundCalls calls;
    /** What each stored decision says in the log and the metrics. */
    private final TransitionLog told;

    /** How long a shutdown waits for the starts under way: one or two AWS calls, with the SDK's retries. */
    static final Duration FINISH_STARTS = Duration.ofSeconds(10);

    RecordingService(
            GatewayStore gateways,
            RecordingStore recordings,
            HandledEvents handled,
            ActionRunner actions,
            DeadlineTimers timers,
            GatewayLocks locks,
            TransactionTemplate tx,
            ApplicationEventPublisher events,
            RecordingMetrics metrics,
            StoreReadiness store,
            Clock clock,
            RecordingPolicy policy) {
        this.gateways = gateways;
        this.recordings = recordings;
        this.handled = handled;
        this.actions = actions;
        this.timers = timers;
        this.locks = locks;
        this.tx = tx;
        this.events = events;
        this.metrics = metrics;
        this.store = store;
        this.clock = clock;
        this.policy = policy;
        this.calls = new BackgroundCalls(actions);
        this.told = new TransitionLog(metrics);
        metrics.startsPending(calls::startsPending);
    }

    @Override
    public SignalOutcome handle(AlarmSignal signal) {
        return locks.withLock(signal.gatewayId(), () -> {
            RecordingEvent event = signal.state() == AlarmState.ALARM
                    ? new AlarmRaised(
                            signal.eventId(),
                            signal.stateTime(),
                            UUID.randomUUID().toString(),
                            signal.place())
                    : new AlarmCleared(signal.eventId(), signal.stateTime());
            // The signal is marked handled in the transaction of its first decision: a redelivery finds it there.
            // Nothing a signal decides waits for AWS (a start goes on in the background, an ALARM while stopping is
            // kept for later), so the message is done with once that decision is stored.
            Decision first = run(signal.gatewayId(), event, signal);
            return new SignalOutcome(first.verdict(), first.reason());
        });
    }

    @Override
    public int endUnwatched(Predicate<String> watched) {
        if (!store.isReady()) {
            return 0;
        }
        List<Recording> active = Objects.requireNonNull(tx.execute(s -> recordings.active()));
        int ended = 0;
        for (Recording r : active) {
            if (!watched.test(r.gatewayId()) && r.state() != RecordingState.STOPPING) {
                Decision first = locks.withLock(r.gatewayId(), () -> run(r.gatewayId(), new GatewayUnwatched(r.id())));
                if (first.verdict() == Verdict.ACTED) {
                    ended++;
                }
            }
        }
        return ended;
    }

    /** Applies an event under the gateway's lock, with every event its actions lead to; its first decision. */
    Decision decide(String gatewayId, RecordingEvent event) {
        return locks.withLock(gatewayId, () -> run(gatewayId, event));
    }

    /** Waits, outside the gateway's lock, until this start is answered and stored, for up to {@link #FINISH_STARTS}. */
    void awaitStart(String recordingId) {
        calls.awaitStart(recordingId, FINISH_STARTS);
    }

    Optional<Recording> find(String recordingId) {
        return Objects.requireNonNull(tx.execute(s -> recordings.find(recordingId)));
    }

    /** The id of the gateway's active recording, if any. */
    @Nullable
    String activeOf(String gatewayId) {
        GatewaySnapshot gateway = Objects.requireNonNull(tx.execute(s -> gateways.snapshot(gatewayId)));
        return gateway.active() == null ? null : gateway.active().id();
    }

    /** A recording's deadline came: stop it, or retry its start or stop. A failure is left to the next sweep. */
    void onDeadline(String recordingId) {
        try {
            Optional<Recording> recording = Objects.requireNonNull(tx.execute(s -> recordings.find(recordingId)));
            if (recording.isEmpty()) {
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

    /** Arms a recording's stored deadline in this process. */
    void arm(Recording r) {
        if (r.nextDeadline() != null) {
            timers.arm(r.id(), r.nextDeadline(), () -> onDeadline(r.id()));
        }
    }

    /** Applies an event and every event its actions lead to, under the gateway's lock; returns the first decision. */
    private Decision run(String gatewayId, RecordingEvent initial) {
        return run(gatewayId, initial, null);
    }

    /**
     * The same; with {@code signal}, the first step first checks that the signal was not handled before (else its
     * decision is DUPLICATE and nothing changes), and marks it handled with its decision.
     */
    private Decision run(String gatewayId, RecordingEvent initial, @Nullable AlarmSignal signal) {
        Deque<RecordingEvent> pending = new ArrayDeque<>(List.of(initial));
        Decision first = null;
        while (!pending.isEmpty()) {
            Decision decision = step(gatewayId, pending.poll(), first == null ? signal : null);
            if (first == null) {
                first = decision;
            }
            for (Action action : decision.actions()) {
                if (action instanceof Action.CreateFlowLogs create) {
                    startInBackground(gatewayId, create.recording(), create.first());
                } else if (action instanceof Action.DeleteFlowLogs delete) {
                    stopInBackground(gatewayId, delete.recording());
                }
            }
            PendingAlarm replay = decision.replay();
            if (replay != null) {
                // The gateway is free: the ALARM it kept while stopping starts its own recording now.
                pending.add(new AlarmRaised(
                        replay.eventId(), replay.stateTime(), UUID.randomUUID().toString(), replay.place()));
            }
        }
        return Objects.requireNonNull(first);
    }

    /**
     * A start goes on without the gateway's lock and the caller's thread: STARTING is stored, so the message is done
     * with, and the start joins the others of its burst in shared calls. Its answer comes back as the next event, under
     * the lock ({@link BackgroundStarts}).
     */
    private void startInBackground(String gatewayId, Recording r, boolean firstAsk) {
        calls.start(r, firstAsk, answer -> locks.withLock(gatewayId, () -> run(gatewayId, answer)));
    }

    /**
     * A stop likewise: STOPPING is stored with its retry deadline under the lock, and the flow logs are checked and
     * deleted outside it, in calls shared with every stop of the moment (a thousand gateways clearing at once cost a
     * DeleteFlowLogs or two, not one each). The answers come back as events, under the lock, in order.
     */
    private void stopInBackground(String gatewayId, Recording r) {
        calls.stop(
                r,
                answers -> locks.withLock(gatewayId, () -> {
                    answers.forEach(answer -> run(gatewayId, answer));
                    return null;
                }));
    }

    /** Starts asked of AWS whose answer is not stored yet. */
    int startsPending() {
        return calls.startsPending();
    }

    /** Starts and stops asked of AWS whose answers are not stored yet. */
    int callsPending() {
        return calls.startsPending() + calls.stopsPending();
    }

    /**
     * At shutdown (the queue's listener has stopped), the starts under way finish and their answers are stored, for up
     * to {@link #FINISH_STARTS}, while the store is still open (this bean goes before it).
     */
    @PreDestroy
    void stopAnswering() {
        calls.finish(FINISH_STARTS);
    }

    /** Decides and stores one event in one transaction; the end of a recording is announced inside it. */
    private Decision step(String gatewayId, RecordingEvent event, @Nullable AlarmSignal signal) {
        // The store keeps microseconds: what is decided in memory must equal what is read back after a restart.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        record Stored(GatewaySnapshot before, Decision decision) {}
        Stored stored = Objects.requireNonNull(tx.execute(s -> {
            boolean duplicate = signal != null && handled.contains(signal.eventId(), gatewayId);
            GatewaySnapshot gateway = gateways.snapshot(gatewayId);
            if (duplicate) {
                return new Stored(gateway, Decision.nothing(gateway, Verdict.DUPLICATE, Reason.EVENT_ALREADY_HANDLED));
            }
            Decision decision = Transitions.decide(gateway, event, now, policy);
            boolean changes = decision.recording() != null
                    || decision.countsNewRecording()
                    || !Objects.equals(decision.lastStateTime(), gateway.lastStateTime())
                    || !Objects.equals(decision.pendingAlarm(), gateway.pendingAlarm());
            if (changes) {
                Recording saved = gateways.apply(gateway, decision);
                if (saved != null && decision.endsRecording()) {
                    events.publishEvent(new RecordingEnded(saved));
                }
                Recording was = gateway.active();
                if (saved != null
                        && saved.startedAt() != null
                        && (was == null || !was.id().equals(saved.id()) || was.startedAt() == null)) {
                    events.publishEvent(new RecordingStarted(saved));
                }
            }
            if (signal != null) {
                handled.add(signal.eventId(), gatewayId, new SignalOutcome(decision.verdict(), decision.reason()), now);
            }
            return new Stored(gateway, decision);
        }));
        Decision decision = stored.decision();
        Recording r = decision.recording();
        if (r != null) {
            Recording before = stored.before().active();
            afterCommit(before != null && before.id().equals(r.id()) ? before : null, decision, r);
        }
        return decision;
    }

    private void afterCommit(@Nullable Recording before, Decision decision, Recording r) {
        if (r.state().isActive() && r.nextDeadline() != null) {
            arm(r);
        } else {
            timers.disarm(r.id());
        }
        told.told(before, decision, r);
    }

    /**
     * Acts on the ALARM a gateway kept if it has no recording: a crash came between the end of its stop and the start
     * it asked for.
     */
    void startPending(String gatewayId) {
        locks.withLock(gatewayId, () -> {
            GatewaySnapshot gateway = Objects.requireNonNull(tx.execute(s -> gateways.snapshot(gatewayId)));
            PendingAlarm pending = gateway.pendingAlarm();
            if (pending != null && gateway.active() == null) {
                run(
                        gatewayId,
                        new AlarmRaised(
                                pending.eventId(),
                                pending.stateTime(),
                                UUID.randomUUID().toString(),
                                pending.place()));
            }
            return null;
        });
    }
}
