package dev.vpcflowlogs.recorder.recording;

/** Why a recording ended. */
public enum StopReason {
    ALARM_CLEARED("the alarm cleared"),
    MAX_DURATION("it reached its maximum duration"),
    START_FAILED("no flow log could be created"),
    RECORDING_LIMIT("the gateway reached its recording limit"),
    GATEWAY_UNWATCHED("its gateway is no longer watched (deleted, untagged, or removed from the configuration)"),
    OPERATOR("an operator stopped it"),
    OPERATOR_DURATION("the duration an operator asked for ran out");

    private final String description;

    StopReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
