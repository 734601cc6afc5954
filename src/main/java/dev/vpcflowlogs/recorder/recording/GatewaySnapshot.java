package dev.vpcflowlogs.recorder.recording;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the store knows of one gateway when an event arrives.
 *
 * @param pendingAlarm an ALARM kept while the previous recording stops, or null
 */
record GatewaySnapshot(
        String gatewayId,
        @Nullable Instant lastStateTime,
        int recordingsStarted,
        @Nullable Recording active,
        @Nullable PendingAlarm pendingAlarm,
        long version) {}
