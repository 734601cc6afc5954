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
import dev.vpcflowlogs.recorder.recording.Action.Notify;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AlarmCleared;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AlarmRaised;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.AwsUnavailable;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.DeadlineReached;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsCreated;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.FlowLogsDeleted;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.GatewayUnwatched;
import dev.vpcflowlogs.recorder.recording.RecordingEvent.StartFailed;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The recorder's rules, as a pure function from (gateway, event, now) to a {@link Decision}. No I/O, no clock, no
 * Spring: every rule is tested in {@code TransitionsTest}.
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
        Recording active = gateway.active();
        String recordingId = recordingIdOf(event);
        if (active == null || !active.id().equals(recordingId)) {
            return Decision.nothing(gateway, Verdict.IGNORED, "recording-not-active");
        }
        if (event instanceof DeadlineReached) {
            return onDeadline(gateway, active, now, policy);
        }
        if (event instanceof FlowLogsCreated e) {
            return onCreated(gateway, active, e, now, policy);
        }
        if (event instanceof StartFailed e) {
            return active.state() == STARTING
                    ? fail(gateway, active, e.cause(), List.of(), now)
                    : Decision.nothing(gateway, Verdict.IGNORED, "not-starting");
        }
        if (event instanceof FlowLogsDeleted) {
            if (active.state() != STOPPING) {
                return Decision.nothing(gateway, Verdict.IGNORED, "not-stopping");
            }
            Recording done = active.toBuilder()
                    .state(COMPLETED)
                    .endedAt(now)
                    .nextDeadline(null)
                    .failure(null)
                    .notifyAt(now.plus(policy.notificationDelay()))
                    .build();
            return changed(gateway, Verdict.ACTED, "recording-completed", done, new Notify(done));
        }
        if (event instanceof GatewayUnwatched) {
            return onUnwatched(gateway, active, now, policy);
        }
        if (event instanceof AwsUnavailable e) {
            if (active.state() != STARTING && active.state() != STOPPING) {
                return Decision.nothing(gateway, Verdict.IGNORED, "nothing-to-retry");
            }
            if (active.state() == STARTING && !now.isBefore(active.maxEndsAt())) {
                return fail(
                        gateway,
                        active,
                        "it could not start before its maximum duration (" + e.cause() + ")",
                        active.interfaceFailures(),
                        now);
            }
            if (active.state() == STOPPING && active.attempts() + 1 >= RecordingPolicy.STOP_ATTEMPTS) {
                Recording failed = active.toBuilder()
                        .state(FAILED)
                        .attempts(active.attempts() + 1)
                        .failure("its flow logs could not be deleted after " + RecordingPolicy.STOP_ATTEMPTS
                                + " attempts (" + e.cause() + "); the reconciler goes on deleting them")
                        .endedAt(now)
                        .nextDeadline(null)
                        .notifyAt(now)
                        .build();
                return changed(gateway, Verdict.ACTED, "stop-failed", failed, new Notify(failed));
            }
            Recording retry = active.toBuilder()
                    .attempts(active.attempts() + 1)
                    .nextDeadline(now.plus(policy.retryDelay(active.attempts())))
                    .failure(e.cause())
                    .build();
            return changed(gateway, Verdict.DEFERRED, "aws-unavailable", retry);
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    private static Decision onAlarm(GatewaySnapshot gateway, AlarmRaised e, Instant now, RecordingPolicy policy) {
        if (isStale(gateway, e.stateTime())) {
            return Decision.nothing(gateway, Verdict.STALE, "older-than-last-state");
        }
        Instant last = latest(gateway.lastStateTime(), e.stateTime());
        Recording active = gateway.active();
        if (active == null) {
            int limit = policy.maxRecordingsPerGateway();
            if (limit > 0 && gateway.recordingsStarted() >= limit) {
                Recording skipped = Recording.builder()
                        .id(e.newRecordingId())
                        .gatewayId(gateway.gatewayId())
                        .state(SKIPPED)
                        .triggerEventId(e.eventId())
                        .createdAt(now)
                        .maxEndsAt(now)
                        .endedAt(now)
                        .stopReason(StopReason.RECORDING_LIMIT)
                        .build();
                return new Decision(Verdict.IGNORED, "recording-limit-reached", last, false, skipped, List.of());
            }
            Recording starting = Recording.builder()
                    .id(e.newRecordingId())
                    .gatewayId(gateway.gatewayId())
                    .state(STARTING)
                    .triggerEventId(e.eventId())
                    .createdAt(now)
                    .maxEndsAt(now.plus(policy.maxDuration()))
                    .nextDeadline(now.plus(policy.retryDelay()))
                    .build();
            return new Decision(
                    Verdict.ACTED, "recording-started", last, true, starting, List.of(new CreateFlowLogs(starting)));
        }
        switch (active.state()) {
            case STARTING: {
                Recording retry = active.toBuilder().tailEndsAt(null).build();
                return new Decision(
                        Verdict.ACTED, "start-retried", last, false, retry, List.of(new CreateFlowLogs(retry)));
            }
            case TAILING: {
                Recording resumed = active.toBuilder()
                        .state(RECORDING)
                        .tailEndsAt(null)
                        .nextDeadline(active.maxEndsAt())
                        .build();
                return new Decision(Verdict.ACTED, "alarm-resumed", last, false, resumed, List.of());
            }
            case STOPPING:
                return Decision.nothing(gateway, Verdict.DEFERRED, "previous-recording-stopping");
            default:
                return new Decision(Verdict.IGNORED, "already-recording", last, false, null, List.of());
        }
    }

    private static Decision onClear(GatewaySnapshot gateway, AlarmCleared e, Instant now, RecordingPolicy policy) {
        if (isStale(gateway, e.stateTime())) {
            return Decision.nothing(gateway, Verdict.STALE, "older-than-last-state");
        }
        Instant last = latest(gateway.lastStateTime(), e.stateTime());
        Recording active = gateway.active();
        if (active == null) {
            return new Decision(Verdict.IGNORED, "no-active-recording", last, false, null, List.of());
        }
        Instant tailEnds = now.plus(policy.tail());
        switch (active.state()) {
            case STARTING: {
                Recording r = active.toBuilder().tailEndsAt(tailEnds).build();
                return new Decision(Verdict.ACTED, "tail-started", last, false, r, List.of());
            }
            case RECORDING: {
                Recording r = active.toBuilder()
                        .state(TAILING)
                        .tailEndsAt(tailEnds)
                        .nextDeadline(earliest(tailEnds, active.maxEndsAt()))
                        .build();
                return new Decision(Verdict.ACTED, "tail-started", last, false, r, List.of());
            }
            case TAILING:
                return new Decision(Verdict.IGNORED, "already-tailing", last, false, null, List.of());
            default:
                return new Decision(Verdict.IGNORED, "already-stopping", last, false, null, List.of());
        }
    }

    private static Decision onDeadline(GatewaySnapshot gateway, Recording active, Instant now, RecordingPolicy policy) {
        if (active.nextDeadline() == null || now.isBefore(active.nextDeadline())) {
            return Decision.nothing(gateway, Verdict.IGNORED, "not-due");
        }
        switch (active.state()) {
            case STARTING:
                return changed(gateway, Verdict.ACTED, "start-retried", active, new CreateFlowLogs(active));
            case STOPPING:
                return changed(gateway, Verdict.ACTED, "stop-retried", active, new DeleteFlowLogs(active));
            default: {
                boolean tailOver = active.tailEndsAt() != null && !now.isBefore(active.tailEndsAt());
                StopReason reason = tailOver ? StopReason.ALARM_CLEARED : StopReason.MAX_DURATION;
                return stop(gateway, active, reason, now, policy);
            }
        }
    }

    /**
     * A recording holding flow logs stops now; one still starting ends FAILED with its flow logs left to the
     * reconciler (its tags name the recording); one stopping goes on.
     */
    private static Decision onUnwatched(
            GatewaySnapshot gateway, Recording active, Instant now, RecordingPolicy policy) {
        switch (active.state()) {
            case RECORDING:
            case TAILING:
                return stop(gateway, active, StopReason.GATEWAY_UNWATCHED, now, policy);
            case STARTING: {
                Recording failed = active.toBuilder()
                        .state(FAILED)
                        .stopReason(StopReason.GATEWAY_UNWATCHED)
                        .failure("its gateway is no longer watched before its flow logs were created")
                        .endedAt(now)
                        .nextDeadline(null)
                        .notifyAt(now)
                        .build();
                return changed(gateway, Verdict.ACTED, "gateway-unwatched", failed, new Notify(failed));
            }
            default:
                return Decision.nothing(gateway, Verdict.IGNORED, "already-stopping");
        }
    }

    private static Decision onCreated(
            GatewaySnapshot gateway, Recording active, FlowLogsCreated e, Instant now, RecordingPolicy policy) {
        if (active.state() != STARTING) {
            return Decision.nothing(gateway, Verdict.IGNORED, "not-starting");
        }
        if (e.flowLogIds().isEmpty()) {
            String cause = e.failures().isEmpty()
                    ? "CreateFlowLogs created no flow log"
                    : "CreateFlowLogs failed on every interface: "
                            + e.failures().stream()
                                    .map(InterfaceFailure::toString)
                                    .collect(Collectors.joining("; "));
            return fail(gateway, active, cause, e.failures(), now);
        }
        Recording.Builder started = active.toBuilder()
                .startedAt(now)
                .interfaceIds(e.interfaceIds())
                .flowLogIds(e.flowLogIds())
                .interfaceFailures(e.failures())
                .attempts(0)
                .failure(null);
        if (!now.isBefore(active.maxEndsAt())) {
            return stop(gateway, started.build(), StopReason.MAX_DURATION, now, policy);
        }
        Recording r = active.tailEndsAt() == null
                ? started.state(RECORDING).nextDeadline(active.maxEndsAt()).build()
                : started.state(TAILING)
                        .nextDeadline(earliest(active.tailEndsAt(), active.maxEndsAt()))
                        .build();
        return changed(gateway, Verdict.ACTED, "flow-logs-created", r);
    }

    private static Decision stop(
            GatewaySnapshot gateway, Recording active, StopReason reason, Instant now, RecordingPolicy policy) {
        Recording stopping = active.toBuilder()
                .state(STOPPING)
                .stopReason(reason)
                .nextDeadline(now.plus(policy.retryDelay()))
                .build();
        return changed(gateway, Verdict.ACTED, "recording-stopping", stopping, new DeleteFlowLogs(stopping));
    }

    private static Decision fail(
            GatewaySnapshot gateway, Recording active, String cause, List<InterfaceFailure> failures, Instant now) {
        Recording failed = active.toBuilder()
                .state(FAILED)
                .stopReason(StopReason.START_FAILED)
                .failure(cause)
                .interfaceFailures(failures)
                .endedAt(now)
                .nextDeadline(null)
                .notifyAt(now)
                .build();
        return changed(gateway, Verdict.ACTED, "recording-failed", failed, new Notify(failed));
    }

    private static Decision changed(GatewaySnapshot gateway, Verdict verdict, String reason, Recording r) {
        return new Decision(verdict, reason, gateway.lastStateTime(), false, r, List.of());
    }

    private static Decision changed(
            GatewaySnapshot gateway, Verdict verdict, String reason, Recording r, Action action) {
        return new Decision(verdict, reason, gateway.lastStateTime(), false, r, List.of(action));
    }

    private static boolean isStale(GatewaySnapshot gateway, Instant stateTime) {
        return gateway.lastStateTime() != null && stateTime.isBefore(gateway.lastStateTime());
    }

    private static String recordingIdOf(RecordingEvent event) {
        if (event instanceof DeadlineReached e) {
            return e.recordingId();
        }
        if (event instanceof FlowLogsCreated e) {
            return e.recordingId();
        }
        if (event instanceof StartFailed e) {
            return e.recordingId();
        }
        if (event instanceof FlowLogsDeleted e) {
            return e.recordingId();
        }
        if (event instanceof AwsUnavailable e) {
            return e.recordingId();
        }
        if (event instanceof GatewayUnwatched e) {
            return e.recordingId();
        }
        throw new IllegalArgumentException("not a recording event: " + event);
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
