package dev.vpcflowlogs.recorder.intake;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The parts of an EventBridge "CloudWatch Alarm State Change" event the recorder uses.
 *
 * @param eventTime the event's {@code time}, for the lag metric; null if absent
 * @param natGatewayIds every NAT gateway named in the alarm's metrics or tags, in order of first appearance
 * @param account the event's {@code account}: the account of the alarm (and of its gateway)
 * @param region the event's {@code region}
 */
record AlarmEvent(
        String id,
        @Nullable String alarmName,
        String state,
        Instant stateTime,
        @Nullable Instant eventTime,
        List<String> natGatewayIds,
        @Nullable String account,
        @Nullable String region) {}
