package dev.vpcflowlogs.recorder.recording;

import java.time.Instant;
import java.util.List;

/**
 * The result of a transition: the gateway's new bookkeeping, the recording to store (null: none changes), and the
 * actions to take once it is stored.
 */
record Decision(
        Verdict verdict,
        String reason,
        Instant lastStateTime,
        boolean countsNewRecording,
        Recording recording,
        List<Action> actions) {

    Decision {
        actions = List.copyOf(actions);
    }

    static Decision nothing(GatewaySnapshot gateway, Verdict verdict, String reason) {
        return new Decision(verdict, reason, gateway.lastStateTime(), false, null, List.of());
    }
}
