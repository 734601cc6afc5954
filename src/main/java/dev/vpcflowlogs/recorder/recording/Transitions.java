package dev.vpcflowlogs.recorder.recording;

import static dev.vpcflowlogs.recorder.recording.RecordingState.COMPLETED;
import static dev.vpcflowlogs.recorder.recording.RecordingState.FAILED;
import static dev.vpcflowlogs.recorder.recording.RecordingState.RECORDING;
import static dev.vpcflowlogs.recorder.recording.RecordingState.SKIPPED;
import static dev.vpcflowlogs.recorder.recording.RecordingState.STARTING;
import static dev.vpcflowlogs.recorder.recording.RecordingState.STOPPING;
import static dev.vpcflowlogs.recorder.recording.RecordingState.TAILING;

import dev.vpcflowlogs.recorder.recording.Action.CreateFlowLogs;
import dev.vpcflowlogs.recorder.recording.Action.DeleteFlowLogs;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AlarmCleared;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AlarmRaised;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AwsUnavailable;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.DeadlineReached;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.DeliveryChecked;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsCreated;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsDeleted;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.GatewayUnwatched;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.OfRecording;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.OperatorStart;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.OperatorStop;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.StartFailed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The recorder's rules, as a pure function from (gateway, event, now) to a {@link Decision}. No I/O, no clock, no
 * Spring: every rule is tested in {@code TransitionsTest}.
 *
 * <p>Over 300 lines on purpose: it is the state machine's whole table (one method per event, each a switch over the
 * states), read top to bottom beside the state diagram in docs/how-it-works.md. Split by event, a reader would follow
 * one recording's life across files; the helpers at the bottom ({@code stop}, {@code fail}, {@code ended}) are shared
 * by most rows.
 */
final class Transitions {

    private Transitions() {}

    static Decision decide(GatewaySnapshot gateway, RecordingEvent event, Instant now, RecordingPolicy policy) {
        if (event instanceof AlarmRaised e) {
            return onAlarm(gateway, e, now, policy);
        }
        if (event instanceof AlarmCleared e) {
            return onClear(gateway, e, now, policy);
        }
        if (event instanceof OperatorStart e) {
            return onOperatorStart(gateway, e, now, policy);
        }
        OfRecording about = (OfRecording) event;
        Recording active = gateway.active();
        if (active == null || !active.id().equals(about.recordingId())) {
            return Decision.nothing(gateway, Verdict.IGNORED, Reason.RECORDING_NOT_ACTIVE);
        }
        if (event instanceof DeadlineReached) {
            return onDeadline(gateway, active, now, policy);
        }
        if (event instanceof FlowLogsCreated e) {
            return onCreated(gateway, active, e, now, policy);
        }
        if (event instanceof StartFailed e) {
            return onStartFailed(gateway, active, e, now);
        }
        if (event instanceof FlowLogsDeleted) {
            return onDeleted(gateway, active, now);
        }
        if (event instanceof DeliveryChecked e) {
            return onDeliveryChecked(gateway, active, e);
        }
        if (event instanceof GatewayUnwatched) {
            return onUnwatched(gateway, active, now, policy);
        }
        if (event instanceof AwsUnavailable e) {
            return onAwsUnavailable(gateway, active, e, now, policy);
        }
        if (event instanceof OperatorStop e) {
            return onOperatorStop(gateway, active, e, now, policy);
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    private static Decision onAlarm(GatewaySnapshot gateway, AlarmRaised e, Instant now, RecordingPolicy policy) {
        if (isStale(gateway, e.stateTime())) {
            return Decision.nothing(gateway, Verdict.STALE, Reason.OLDER_THAN_LAST_STATE);
        }
        Instant last = latest(gateway.lastStateTime(), e.stateTime());
        Recording active = gateway.active();
        if (active == null) {
            return startOrSkip(gateway, e, now, policy, last);
        }
        return switch (active.state()) {
            case STARTING ->
                Decision.signalled(
                        gateway,
                        Verdict.ACTED,
                        Reason.START_RETRIED,
                        last,
                        active.withTailEndsAt(null),
                        new CreateFlowLogs(active.withTailEndsAt(null)));
            case TAILING ->
                Decision.signalled(
                        gateway,
                        Verdict.ACTED,
                        Reason.ALARM_RESUMED,
                        last,
                        active.withState(RECORDING).withTailEndsAt(null).withNextDeadline(active.maxEndsAt()));
            // Kept, not deferred: a state of the recorder's own must never cost the message (see Decision.queued).
            case STOPPING -> Decision.queued(last, new PendingAlarm(e.eventId(), e.stateTime(), e.place()));
            default -> Decision.noted(gateway, Verdict.IGNORED, Reason.ALREADY_RECORDING, last);
        };
    }

    private static Decision startOrSkip(
            GatewaySnapshot gateway, AlarmRaised e, Instant now, RecordingPolicy policy, Instant last) {
        int limit = policy.maxRecordingsPerGateway();
        if (limit > 0 && gateway.recordingsStarted() >= limit) {
            Recording skipped = Recording.starting(
                            e.newRecordingId(), gateway.gatewayId(), e.place(), e.eventId(), now, now)
                    .withState(SKIPPED)
                    .withEndedAt(now)
                    .withStopReason(StopReason.RECORDING_LIMIT);
            return Decision.skipped(last, skipped);
        }
        Recording starting = Recording.starting(
                        e.newRecordingId(),
                        gateway.gatewayId(),
                        e.place(),
                        e.eventId(),
                        now,
                        now.plus(policy.maxDuration()))
                .withNextDeadline(now.plus(policy.retryDelay()));
        return Decision.started(last, starting);
    }

    private static Decision onClear(GatewaySnapshot gateway, AlarmCleared e, Instant now, RecordingPolicy policy) {
        if (isStale(gateway, e.stateTime())) {
            return Decision.nothing(gateway, Verdict.STALE, Reason.OLDER_THAN_LAST_STATE);
        }
        Instant last = latest(gateway.lastStateTime(), e.stateTime());
        PendingAlarm pending = gateway.pendingAlarm();
        if (pending != null && !e.stateTime().isBefore(pending.stateTime())) {
            return Decision.unqueued(last);
        }
        Recording active = gateway.active();
        if (active == null) {
            return Decision.noted(gateway, Verdict.IGNORED, Reason.NO_ACTIVE_RECORDING, last);
        }
        if (active.manual()) {
            return Decision.noted(gateway, Verdict.IGNORED, Reason.RECORDING_BY_HAND, last);
        }
        Instant tailEnds = now.plus(policy.tail());
        return switch (active.state()) {
            // The OK is kept for when the flow logs exist: the recording then goes straight to its tail.
            case STARTING ->
                Decision.signalled(gateway, Verdict.ACTED, Reason.TAIL_STARTED, last, active.withTailEndsAt(tailEnds));
            case RECORDING ->
                Decision.signalled(
                        gateway,
                        Verdict.ACTED,
                        Reason.TAIL_STARTED,
                        last,
                        active.withState(TAILING)
                                .withTailEndsAt(tailEnds)
                                .withNextDeadline(earliest(tailEnds, active.maxEndsAt())));
            case TAILING -> Decision.noted(gateway, Verdict.IGNORED, Reason.ALREADY_TAILING, last);
            default -> Decision.noted(gateway, Verdict.IGNORED, Reason.ALREADY_STOPPING, last);
        };
    }

    /**
     * A recording by hand, for the duration asked (the service refuses one beyond {@code max-duration}): started
     * like an alarm's, its deadline the end of that duration and no tail. A gateway already recording records on
     * (nothing is extended); one starting or stopping is left to finish.
     */
    private static Decision onOperatorStart(
            GatewaySnapshot gateway, OperatorStart e, Instant now, RecordingPolicy policy) {
        Recording active = gateway.active();
        if (active != null) {
            return switch (active.state()) {
                case RECORDING, TAILING -> Decision.nothing(gateway, Verdict.IGNORED, Reason.ALREADY_RECORDING);
                case STARTING -> Decision.nothing(gateway, Verdict.IGNORED, Reason.STILL_STARTING);
                default -> Decision.nothing(gateway, Verdict.IGNORED, Reason.PREVIOUS_RECORDING_STOPPING);
            };
        }
        int limit = policy.maxRecordingsPerGateway();
        if (policy.operatorStartsCount() && limit > 0 && gateway.recordingsStarted() >= limit) {
            return Decision.nothing(gateway, Verdict.IGNORED, Reason.RECORDING_LIMIT_REACHED);
        }
        Recording starting = Recording.starting(
                        e.newRecordingId(), gateway.gatewayId(), e.place(), null, now, now.plus(e.duration()))
                .withStartedBy(e.operator())
                .withNextDeadline(now.plus(policy.retryDelay()));
        return Decision.startedByOperator(gateway, starting, policy.operatorStartsCount());
    }

    /** An operator's stop: a recording holding or making flow logs stops now; one stopping goes on. */
    private static Decision onOperatorStop(
            GatewaySnapshot gateway, Recording active, OperatorStop e, Instant now, RecordingPolicy policy) {
        if (active.state() == STOPPING) {
            return Decision.nothing(gateway, Verdict.IGNORED, Reason.ALREADY_STOPPING);
        }
        // A start waiting for its retry holds no flow log it knows of; any AWS made all the same carry the
        // recording's tag, and the reconciler deletes those of a finished recording.
        return stop(gateway, active.withStoppedBy(e.operator()), StopReason.OPERATOR, now, policy)
                .because(Reason.OPERATOR_STOPPED);
    }

    private static Decision onDeadline(GatewaySnapshot gateway, Recording active, Instant now, RecordingPolicy policy) {
        if (active.nextDeadline() == null || now.isBefore(active.nextDeadline())) {
            return Decision.nothing(gateway, Verdict.IGNORED, Reason.NOT_DUE);
        }
        return switch (active.state()) {
            case STARTING -> {
                // The start goes on in the background: until its answer is stored, the deadline is the next retry,
                // not this one, which would fire again at once.
                Recording retrying = active.withNextDeadline(now.plus(policy.retryDelay()));
                yield Decision.changed(
                        gateway, Verdict.ACTED, Reason.START_RETRIED, retrying, new CreateFlowLogs(retrying));
            }
            case STOPPING -> {
                // As a start: the stop goes on in the background, and until its answer is stored the deadline is the
                // next retry, not this one, which would fire again at once.
                Recording retrying = active.withNextDeadline(now.plus(policy.retryDelay()));
                yield Decision.changed(
                        gateway, Verdict.ACTED, Reason.STOP_RETRIED, retrying, new DeleteFlowLogs(retrying));
            }
            default -> {
                boolean tailOver = active.tailEndsAt() != null && !now.isBefore(active.tailEndsAt());
                StopReason why = tailOver
                        ? StopReason.ALARM_CLEARED
                        : active.manual() ? StopReason.OPERATOR_DURATION : StopReason.MAX_DURATION;
                yield stop(gateway, active, why, now, policy);
            }
        };
    }

    private static Decision onCreated(
            GatewaySnapshot gateway, Recording active, FlowLogsCreated e, Instant now, RecordingPolicy policy) {
        if (active.state() != STARTING) {
            return Decision.nothing(gateway, Verdict.IGNORED, Reason.NOT_STARTING);
        }
        if (e.flowLogIds().isEmpty()) {
            String cause = e.failures().isEmpty()
                    ? "CreateFlowLogs created no flow log"
                    : "CreateFlowLogs failed on every " + (e.mode() == GatewayMode.REGIONAL ? "gateway" : "interface")
                            + ": "
                            + e.failures().stream()
                                    .map(ResourceFailure::toString)
                                    .collect(Collectors.joining("; "));
            return fail(gateway, active, cause, e.failures(), now);
        }
        Recording started = active.withStartedAt(now)
                .withResources(e.mode(), e.resourceIds(), e.flowLogIds(), e.failures())
                .withAttempts(0)
                .withFailure(null);
        if (!now.isBefore(active.maxEndsAt())) {
            return stop(gateway, started, StopReason.MAX_DURATION, now, policy);
        }
        Recording r = active.tailEndsAt() == null
                ? started.withState(RECORDING).withNextDeadline(active.maxEndsAt())
                : started.withState(TAILING).withNextDeadline(earliest(active.tailEndsAt(), active.maxEndsAt()));
        return Decision.changed(gateway, Verdict.ACTED, Reason.FLOW_LOGS_CREATED, r);
    }

    private static Decision onStartFailed(GatewaySnapshot gateway, Recording active, StartFailed e, Instant now) {
        return active.state() == STARTING
                ? fail(gateway, active, e.cause(), List.of(), now)
                : Decision.nothing(gateway, Verdict.IGNORED, Reason.NOT_STARTING);
    }

    private static Decision onDeleted(GatewaySnapshot gateway, Recording active, Instant now) {
        if (active.state() != STOPPING) {
            return Decision.nothing(gateway, Verdict.IGNORED, Reason.NOT_STOPPING);
        }
        Recording done = active.withState(COMPLETED)
                .withEndedAt(now)
                .withNextDeadline(null)
                .withFailure(null);
        return Decision.ended(gateway, Reason.RECORDING_COMPLETED, done);
    }

    /** The flow logs that did not deliver are kept with the recording, for its notification. */
    private static Decision onDeliveryChecked(GatewaySnapshot gateway, Recording active, DeliveryChecked e) {
        List<DeliveryFailure> merged = new ArrayList<>(active.deliveryFailures());
        for (DeliveryFailure failure : e.failures()) {
            if (merged.stream().noneMatch(known -> known.flowLogId().equals(failure.flowLogId()))) {
                merged.add(failure);
            }
        }
        if (merged.size() == active.deliveryFailures().size()) {
            return Decision.nothing(gateway, Verdict.IGNORED, Reason.DELIVERY_CHECKED);
        }
        return Decision.changed(gateway, Verdict.ACTED, Reason.DELIVERY_FAILED, active.withDeliveryFailures(merged));
    }

    /**
     * A recording holding flow logs stops now; one still starting ends FAILED with its flow logs left to the
     * reconciler (its tags name the recording); one stopping goes on.
     */
    private static Decision onUnwatched(
            GatewaySnapshot gateway, Recording active, Instant now, RecordingPolicy policy) {
        return switch (active.state()) {
            case RECORDING, TAILING -> stop(gateway, active, StopReason.GATEWAY_UNWATCHED, now, policy);
            case STARTING -> {
                Recording failed = ended(active, FAILED, now)
                        .withStopReason(StopReason.GATEWAY_UNWATCHED)
                        .withFailure("its gateway is no longer watched before its flow logs were created");
                yield Decision.ended(gateway, Reason.GATEWAY_UNWATCHED, failed);
            }
            default -> Decision.nothing(gateway, Verdict.IGNORED, Reason.ALREADY_STOPPING);
        };
    }

    private static Decision onAwsUnavailable(
            GatewaySnapshot gateway, Recording active, AwsUnavailable e, Instant now, RecordingPolicy policy) {
        if (active.state() != STARTING && active.state() != STOPPING) {
            return Decision.nothing(gateway, Verdict.IGNORED, Reason.NOTHING_TO_RETRY);
        }
        if (active.state() == STARTING && !now.isBefore(active.maxEndsAt())) {
            return fail(
                    gateway,
                    active,
                    "it could not start before its maximum duration (" + e.cause() + ")",
                    active.resourceFailures(),
                    now);
        }
        if (active.state() == STOPPING && active.attempts() + 1 >= RecordingPolicy.STOP_ATTEMPTS) {
            Recording failed = ended(active, FAILED, now)
                    .withAttempts(active.attempts() + 1)
                    .withFailure("its flow logs could not be deleted after " + RecordingPolicy.STOP_ATTEMPTS
                            + " attempts (" + e.cause() + "); the reconciler goes on deleting them");
            return Decision.ended(gateway, Reason.STOP_FAILED, failed);
        }
        Recording retry = active.withAttempts(active.attempts() + 1)
                .withNextDeadline(now.plus(policy.retryDelay(active.attempts())))
                .withFailure(e.cause());
        return Decision.changed(gateway, Verdict.ACTED, Reason.AWS_UNAVAILABLE, retry);
    }

    private static Decision stop(
            GatewaySnapshot gateway, Recording active, StopReason reason, Instant now, RecordingPolicy policy) {
        Recording stopping =
                active.withState(STOPPING).withStopReason(reason).withNextDeadline(now.plus(policy.retryDelay()));
        return Decision.changed(
                gateway, Verdict.ACTED, Reason.RECORDING_STOPPING, stopping, new DeleteFlowLogs(stopping));
    }

    private static Decision fail(
            GatewaySnapshot gateway, Recording active, String cause, List<ResourceFailure> failures, Instant now) {
        Recording failed = ended(active, FAILED, now)
                .withStopReason(StopReason.START_FAILED)
                .withFailure(cause)
                .withResourceFailures(failures);
        return Decision.ended(gateway, Reason.RECORDING_FAILED, failed);
    }

    private static Recording ended(Recording r, RecordingState state, Instant now) {
        return r.withState(state).withEndedAt(now).withNextDeadline(null);
    }

    private static boolean isStale(GatewaySnapshot gateway, Instant stateTime) {
        return gateway.lastStateTime() != null && stateTime.isBefore(gateway.lastStateTime());
    }

    private static Instant latest(@Nullable Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
