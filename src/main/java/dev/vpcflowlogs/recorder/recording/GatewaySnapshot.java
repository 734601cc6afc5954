package dev.vpcflowlogs.recorder.recording;

import java.time.Instant;

/** What the store knows of one gateway when an event arrives. */
record GatewaySnapshot(
        String gatewayId, Instant lastStateTime, int recordingsStarted, Recording active, long version) {}
