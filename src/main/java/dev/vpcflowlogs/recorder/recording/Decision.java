package dev.vpcflowlogs.recorder.recording;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The result of a transition: the gateway's new bookkeeping (its last state time, its count of recordings, the ALARM
 * it keeps for later), the recording to store (null: none changes), the actions to take once it is stored, and the
 * kept ALARM to act on now that the gateway is free, and whether the recording ends with it (its notification is then
 * due: {@link RecordingEnded} is published in the same transaction as the new state). Made with the named factories
 * below.
 */
record Decision(
        Verdict verdict,
        Reason reason,
        @Nullable Instant lastStateTime,
        boolean countsNewRecording,
        @Nullable PendingAlarm pendingAlarm,
        @Nullable Recording recording,
        List<Action> actions,
        @Nullable PendingAlarm replay,
        boolean endsRecording) {

    Decision {
        actions = List.copyOf(actions);
    }

    /** The same decision, for another reason (an operator's stop is a stop like any other). */
    Decision because(Reason why) {
        return new Decision(
                verdict,
                why,
                lastStateTime,
                countsNewRecording,
                pendingAlarm,
                recording,
                actions,
                replay,
                endsRecording);
    }

    /** Nothing changes, not even the gateway's last state time. */
    static Decision nothing(GatewaySnapshot gateway, Verdict verdict, Reason reason) {
        return new Decision(
                verdict, reason, gateway.lastStateTime(), false, gateway.pendingAlarm(), null, List.of(), null, false);
    }

    /** An alarm signal changes no recording, but its state time is the gateway's latest. */
    static Decision noted(GatewaySnapshot gateway, Verdict verdict, Reason reason, Instant lastStateTime) {
        return new Decision(
                verdict, reason, lastStateTime, false, gateway.pendingAlarm(), null, List.of(), null, false);
    }

    /** An alarm signal changes a recording (and maybe asks for actions). */
    static Decision signalled(
            GatewaySnapshot gateway,
            Verdict verdict,
            Reason reason,
            Instant lastStateTime,
            Recording recording,
            Action... actions) {
        return new Decision(
                verdict,
                reason,
                lastStateTime,
                false,
                gateway.pendingAlarm(),
                recording,
                List.of(actions),
                null,
                false);
    }

    /** An ALARM starts a new recording, counted against the gateway's limit, and asks for its flow logs. */
    static Decision started(Instant lastStateTime, Recording starting) {
        return new Decision(
                Verdict.ACTED,
                Reason.RECORDING_STARTED,
                lastStateTime,
                true,
                null,
                starting,
                List.of(Action.CreateFlowLogs.first(starting)),
                null,
                false);
    }

    /**
     * An operator starts a new recording, counted against the gateway's limit only when {@code counts}, and asks for
     * its flow logs. The alarm's last state time stays as it was.
     */
    static Decision startedByOperator(GatewaySnapshot gateway, Recording starting, boolean counts) {
        return new Decision(
                Verdict.ACTED,
                Reason.OPERATOR_STARTED,
                gateway.lastStateTime(),
                counts,
                gateway.pendingAlarm(),
                starting,
                List.of(Action.CreateFlowLogs.first(starting)),
                null,
                false);
    }

    /** An ALARM past the gateway's limit is stored as a skipped recording. */
    static Decision skipped(Instant lastStateTime, Recording skipped) {
        return new Decision(
                Verdict.IGNORED,
                Reason.RECORDING_LIMIT_REACHED,
                lastStateTime,
                false,
                null,
                skipped,
                List.of(),
                null,
                false);
    }

    /** An ALARM while the gateway is busy stopping: kept for when the stop has ended. */
    static Decision queued(Instant lastStateTime, PendingAlarm alarm) {
        return new Decision(
                Verdict.ACTED,
                Reason.QUEUED_UNTIL_STOP_ENDS,
                lastStateTime,
                false,
                alarm,
                null,
                List.of(),
                null,
                false);
    }

    /** An OK after the kept ALARM: the spike is over before a recording could start, so the ALARM is dropped. */
    static Decision unqueued(Instant lastStateTime) {
        return new Decision(
                Verdict.ACTED, Reason.QUEUED_ALARM_CLEARED, lastStateTime, false, null, null, List.of(), null, false);
    }

    /** A deadline or an answer of AWS changes the active recording. */
    static Decision changed(
            GatewaySnapshot gateway, Verdict verdict, Reason reason, Recording recording, Action... actions) {
        return new Decision(
                verdict,
                reason,
                gateway.lastStateTime(),
                false,
                gateway.pendingAlarm(),
                recording,
                List.of(actions),
                null,
                false);
    }

    /**
     * The active recording ends: its end is announced, and the ALARM the gateway kept, if any, is acted on now (it
     * stays stored until the recording it starts is).
     */
    static Decision ended(GatewaySnapshot gateway, Reason reason, Recording ended) {
        return new Decision(
                Verdict.ACTED,
                reason,
                gateway.lastStateTime(),
                false,
                gateway.pendingAlarm(),
                ended,
                List.of(),
                gateway.pendingAlarm(),
                true);
    }
}
