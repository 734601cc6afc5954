package dev.vpcflowlogs.recorder.recording;

/** Where a recording is in its life. See the state diagram in the README. */
public enum RecordingState {
    /** Claimed; flow logs are being (or will again be) created. */
    STARTING,
    /** Flow logs exist and the alarm is in ALARM. */
    RECORDING,
    /** Flow logs exist, the alarm cleared, the tail is running. */
    TAILING,
    /** Flow logs are being (or will again be) deleted. */
    STOPPING,
    /** Flow logs were deleted after a recording. */
    COMPLETED,
    /** No flow log could be created. */
    FAILED,
    /** The gateway had reached its recording limit. */
    SKIPPED;

    /** An active recording holds its gateway: a new ALARM does not start another one. */
    public boolean isActive() {
        return this == STARTING || this == RECORDING || this == TAILING || this == STOPPING;
    }
}
