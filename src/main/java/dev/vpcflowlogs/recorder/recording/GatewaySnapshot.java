package dev.vpcflowlogs.recorder.recording;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** What the store knows of one gateway when an event arrives. */
record GatewaySnapshot(
        String gatewayId,
        @Nullable Instant lastStateTime,
        int recordingsStarted,
        @Nullable Recording active,
        long version) {}
