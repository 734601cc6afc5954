package dev.vpcflowlogs.recorder.recording;

import java.time.Instant;

/** An alarm of a watched NAT gateway changed state. */
public record AlarmSignal(String eventId, String gatewayId, AlarmState state, Instant stateTime) {

    public enum AlarmState {
        ALARM,
        OK
    }
}
