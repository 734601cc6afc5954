package dev.vpcflowlogs.recorder.intake;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The parts of an EventBridge "CloudWatch Alarm State Change" event the recorder uses.
 *
 * @param eventTime the event's {@code time}, for the lag metric; null if absent
 * @param natGatewayIds every NAT gateway named in the alarm's metrics or tags, in order of first appearance
 */
record AlarmEvent(
        String id,
        @Nullable String alarmName,
        String state,
        Instant stateTime,
        @Nullable Instant eventTime,
        List<String> natGatewayIds) {}
