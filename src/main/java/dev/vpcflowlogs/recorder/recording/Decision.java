package dev.vpcflowlogs.recorder.recording;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The result of a transition: the gateway's new bookkeeping, the recording to store (null: none changes), and the
 * actions to take once it is stored. Made with the named factories below.
 */
record Decision(
        Verdict verdict,
        Reason reason,
        @Nullable Instant lastStateTime,
        boolean countsNewRecording,
        @Nullable Recording recording,
        List<Action> actions) {

    Decision {
        actions = List.copyOf(actions);
    }

    /** Nothing changes, not even the gateway's last state time. */
    static Decision nothing(GatewaySnapshot gateway, Verdict verdict, Reason reason) {
        return new Decision(verdict, reason, gateway.lastStateTime(), false, null, List.of());
    }

    /** An alarm signal changes no recording, but its state time is the gateway's latest. */
    static Decision noted(Verdict verdict, Reason reason, Instant lastStateTime) {
        return new Decision(verdict, reason, lastStateTime, false, null, List.of());
    }

    /** An alarm signal changes a recording (and maybe asks for actions). */
    static Decision signalled(
            Verdict verdict, Reason reason, Instant lastStateTime, Recording recording, Action... actions) {
        return new Decision(verdict, reason, lastStateTime, false, recording, List.of(actions));
    }

    /** An ALARM starts a new recording, counted against the gateway's limit, and asks for its flow logs. */
    static Decision started(Instant lastStateTime, Recording starting) {
        return new Decision(
                Verdict.ACTED,
                Reason.RECORDING_STARTED,
                lastStateTime,
                true,
                starting,
                List.of(new Action.CreateFlowLogs(starting)));
    }

    /** A deadline or an answer of AWS changes the active recording. */
    static Decision changed(
            GatewaySnapshot gateway, Verdict verdict, Reason reason, Recording recording, Action... actions) {
        return new Decision(verdict, reason, gateway.lastStateTime(), false, recording, List.of(actions));
    }

    /** Whether the recording ended with this decision, so that its notification is due. */
    boolean endsRecording() {
        return actions.stream().anyMatch(Action.AnnounceEnd.class::isInstance);
    }
}
