package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
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
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
class RecordingService implements Recordings, OperatorCommands {

    /** The shortest recording by hand: flow logs aggregate over 60 s, so less would hardly show anything. */
    static final Duration MIN_BY_HAND = Duration.ofSeconds(10);

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
    private final AtomicInteger startsPending = new AtomicInteger();
    /** Recordings whose start is under way in this process, done once its answer is stored. */
    private final Map<String, CompletableFuture<Void>> starting = new ConcurrentHashMap<>();
    /** Stores the answers of starts, a few at a time (each takes the gateway's lock and a transaction). */
    private final ExecutorService answers = Executors.newFixedThreadPool(ANSWER_THREADS, r -> {
        Thread t = new Thread(r, "start-answers-" + ANSWER_THREAD_NUMBER.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private static final int ANSWER_THREADS = 4;
    /** How long a shutdown waits for the starts under way: one or two AWS calls, with the SDK's retries. */
    static final Duration FINISH_STARTS = Duration.ofSeconds(10);

    private static final AtomicInteger ANSWER_THREAD_NUMBER = new AtomicInteger();

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
        metrics.startsPending(startsPending);
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
            // AWS being unavailable is no reason to retry the message: the recording is stored with its retry
            // deadline and tries again by itself. A redelivered ALARM arriving after that recording ended would
            // start a second one for the same event.
            Decision first = run(signal.gatewayId(), event, signal);
            if (first.verdict() == Verdict.DEFERRED) {
                throw new RecordingDeferredException(
                        first.reason(), "gateway " + signal.gatewayId() + ": the previous recording is still stopping");
            }
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

    @Override
    public OperatorOutcome startByOperator(String gatewayId, Place place, Duration duration, String operator) {
        if (duration.compareTo(MIN_BY_HAND) < 0 || duration.compareTo(policy.maxDuration()) > 0) {
            throw new IllegalArgumentException("a recording by hand lasts from " + words(MIN_BY_HAND)
                    + " to recorder.recording.max-duration (" + words(policy.maxDuration()) + "), not "
                    + words(duration));
        }
        String id = UUID.randomUUID().toString();
        Decision first = locks.withLock(
                gatewayId, () -> run(gatewayId, new RecordingEvent.OperatorStart(id, place, duration, operator)));
        if (first.reason() == Reason.OPERATOR_STARTED) {
            awaitStart(id); // a person waits for the flow logs, not for STARTING
        }
        log.info("Gateway {}: {} asked to record it for {}: {}.", gatewayId, operator, duration, first.reason());
        metrics.operatorAsked("start", first.reason());
        return switch (first.reason()) {
            case OPERATOR_STARTED ->
                new OperatorOutcome(true, first.reason(), id, "recording " + gatewayId + " for " + words(duration));
            case ALREADY_RECORDING ->
                new OperatorOutcome(
                        false,
                        first.reason(),
                        activeOf(gatewayId),
                        gatewayId + " is recording already: nothing is extended");
            case STILL_STARTING ->
                new OperatorOutcome(
                        false, first.reason(), activeOf(gatewayId), gatewayId + " is starting a recording already");
            case PREVIOUS_RECORDING_STOPPING ->
                new OperatorOutcome(
                        false,
                        first.reason(),
                        activeOf(gatewayId),
                        gatewayId + " is stopping its recording: try again in a moment");
            case RECORDING_LIMIT_REACHED ->
                new OperatorOutcome(
                        false,
                        first.reason(),
                        null,
                        gatewayId + " reached recorder.recording.max-recordings-per-gateway");
            default -> new OperatorOutcome(false, first.reason(), null, "not started: " + first.reason());
        };
    }

    @Override
    public OperatorOutcome stopByOperator(String recordingId, String operator) {
        Optional<Recording> found = Objects.requireNonNull(tx.execute(s -> recordings.find(recordingId)));
        if (found.isEmpty()) {
            metrics.operatorAsked("stop", Reason.RECORDING_NOT_ACTIVE);
            return new OperatorOutcome(
                    false, Reason.RECORDING_NOT_ACTIVE, null, "there is no recording " + recordingId);
        }
        String gatewayId = found.get().gatewayId();
        Decision first =
                locks.withLock(gatewayId, () -> run(gatewayId, new RecordingEvent.OperatorStop(recordingId, operator)));
        log.info("Gateway {} recording {}: {} asked to stop it: {}.", gatewayId, recordingId, operator, first.reason());
        metrics.operatorAsked("stop", first.reason());
        return switch (first.reason()) {
            case OPERATOR_STOPPED -> new OperatorOutcome(true, first.reason(), recordingId, "stopped");
            case ALREADY_STOPPING -> new OperatorOutcome(false, first.reason(), recordingId, "it is stopping already");
            default -> new OperatorOutcome(false, first.reason(), recordingId, "it is not active: nothing to stop");
        };
    }

    /** {@code 10m}, {@code 1h30m}, {@code 15s}. */
    private static String words(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private @Nullable String activeOf(String gatewayId) {
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
     * decision is DUPLICATE and nothing changes), and marks it handled with its decision, unless DEFERRED.
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
                } else {
                    pending.addAll(actions.perform(action));
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
     * with, and the start joins the others of its burst in shared calls ({@link StartBatches}). Its answer comes back
     * as the next event, under the lock. A crash or a lost answer leaves the recording STARTING: its deadline retries
     * the start, which sends the same call again.
     */
    private void startInBackground(String gatewayId, Recording r, boolean firstAsk) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        if (starting.putIfAbsent(r.id(), stored) != null) {
            return; // its retry deadline came while it is under way: the answer of the first is awaited
        }
        startsPending.incrementAndGet();
        actions.start(r, firstAsk)
                .whenCompleteAsync(
                        (answer, error) -> {
                            try {
                                if (error != null) {
                                    throw error instanceof RuntimeException e ? e : new IllegalStateException(error);
                                }
                                locks.withLock(gatewayId, () -> run(gatewayId, answer));
                            } catch (RuntimeException e) {
                                log.warn(
                                        "Gateway {} recording {}: the answer to its start could not be stored ({}); its"
                                                + " deadline retries the start, with the same call.",
                                        gatewayId,
                                        r.id(),
                                        Failures.rootMessage(e));
                            } finally {
                                starting.remove(r.id());
                                stored.complete(null);
                                if (startsPending.decrementAndGet() == 0) {
                                    synchronized (startsPending) {
                                        startsPending.notifyAll();
                                    }
                                }
                            }
                        },
                        answers);
    }

    /** Waits, outside the gateway's lock, until this start's answer is stored, for up to {@link #FINISH_STARTS}. */
    private void awaitStart(String recordingId) {
        CompletableFuture<Void> stored = starting.get(recordingId);
        if (stored == null) {
            return;
        }
        try {
            stored.get(FINISH_STARTS.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // still starting: the page says so, and the start goes on
        }
    }

    /** Starts asked of AWS whose answer is not stored yet. */
    int startsPending() {
        return startsPending.get();
    }

    /**
     * At shutdown (the queue's listener has stopped), the starts under way finish and their answers are stored, for up
     * to {@link #FINISH_STARTS}. One not stored then is not lost: the recording stays STARTING, and its deadline sends
     * the same call again after the restart.
     */
    @PreDestroy
    void stopAnswering() throws InterruptedException {
        long deadline = System.nanoTime() + FINISH_STARTS.toNanos();
        synchronized (startsPending) {
            while (startsPending.get() > 0 && System.nanoTime() < deadline) {
                startsPending.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
        if (startsPending.get() > 0) {
            log.warn(
                    "{} start(s) still had no answer at shutdown; their recordings stay STARTING and their deadlines"
                            + " send the same calls again.",
                    startsPending.get());
        }
        answers.shutdownNow();
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
            if (signal != null && decision.verdict() != Verdict.DEFERRED) {
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
        RecordingState from = before == null ? null : before.state();
        if (decision.reason() == Reason.DELIVERY_FAILED) {
            metrics.deliveryFailed(r.deliveryFailures().size() - stored(before).size());
            log.error(
                    "Gateway {} recording {}: flow logs that do not deliver: {}.",
                    r.gatewayId(),
                    r.id(),
                    r.deliveryFailures());
        }
        if (from != r.state()) {
            metrics.entered(r);
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

    private static List<DeliveryFailure> stored(@Nullable Recording before) {
        return before == null ? List.of() : before.deliveryFailures();
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

    private static String describe(Recording r) {
        return switch (r.state()) {
            case RECORDING, TAILING ->
                ", " + r.flowLogIds().size() + " flow log(s) on "
                        + (r.regional()
                                ? "the regional gateway"
                                : r.resourceIds().size() + " interface(s)")
                        + (r.resourceFailures().isEmpty() ? "" : ", failed on " + r.resourceFailures())
                        + (r.tailEndsAt() == null ? ", until " + r.maxEndsAt() : ", until " + r.tailEndsAt());
            case STOPPING ->
                " because " + Objects.requireNonNull(r.stopReason()).description();
            case FAILED -> ": " + r.failure();
            case SKIPPED -> ": the gateway reached its limit of recordings";
            default -> "";
        };
    }
}
