package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
import java.time.Instant;

/** An alarm of a watched NAT gateway changed state; the gateway is in {@code place}. */
public record AlarmSignal(String eventId, String gatewayId, AlarmState state, Instant stateTime, Place place) {

    public enum AlarmState {
        ALARM,
        OK
    }
}
