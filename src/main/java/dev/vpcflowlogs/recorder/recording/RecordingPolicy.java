package dev.vpcflowlogs.recorder.recording;

import java.time.Duration;

/**
 * The rules a transition needs from configuration.
 *
 * @param retryDelay the first wait before retrying a start or stop that AWS refused for now; doubles per attempt
 */
record RecordingPolicy(
        Duration tail,
        Duration maxDuration,
        int maxRecordingsPerGateway,
        Duration retryDelay,
        boolean operatorStartsCount) {

    /** The policy without counting an operator's recordings against the gateway's limit. */
    RecordingPolicy(Duration tail, Duration maxDuration, int maxRecordingsPerGateway, Duration retryDelay) {
        this(tail, maxDuration, maxRecordingsPerGateway, retryDelay, false);
    }

    static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(10);

    /** A stop that still fails after this many attempts is FAILED and notified; the reconciler takes over. */
    static final int STOP_ATTEMPTS = 5;

    Duration retryDelay(int attempts) {
        Duration delay = retryDelay.multipliedBy(1L << Math.min(attempts, 16));
        return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
    }
}
