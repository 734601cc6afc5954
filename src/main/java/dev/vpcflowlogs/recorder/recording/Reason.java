package dev.vpcflowlogs.recorder.recording;

import java.util.Locale;

/**
 * Why a transition decided what it did: logged, and the {@code reason} tag of {@code recorder.events} for alarm
 * signals. The tag value is the constant's name in lower case with hyphens ({@code recording-started}).
 */
public enum Reason {
    RECORDING_STARTED,
    RECORDING_LIMIT_REACHED,
    START_RETRIED,
    ALARM_RESUMED,
    PREVIOUS_RECORDING_STOPPING,
    QUEUED_UNTIL_STOP_ENDS,
    QUEUED_ALARM_CLEARED,
    ALREADY_RECORDING,
    OLDER_THAN_LAST_STATE,
    NO_ACTIVE_RECORDING,
    TAIL_STARTED,
    ALREADY_TAILING,
    ALREADY_STOPPING,
    EVENT_ALREADY_HANDLED,
    RECORDING_NOT_ACTIVE,
    NOT_DUE,
    NOT_STARTING,
    NOT_STOPPING,
    NOTHING_TO_RETRY,
    FLOW_LOGS_CREATED,
    RECORDING_FAILED,
    RECORDING_STOPPING,
    STOP_RETRIED,
    STOP_FAILED,
    RECORDING_COMPLETED,
    DELIVERY_FAILED,
    DELIVERY_CHECKED,
    GATEWAY_UNWATCHED,
    AWS_UNAVAILABLE,
    /** An operator started a recording by hand. */
    OPERATOR_STARTED,
    /** An operator stopped a recording by hand. */
    OPERATOR_STOPPED,
    /** An operator asked to record a gateway whose recording is still starting. */
    STILL_STARTING,
    /** An OK leaves a recording an operator started alone: it runs for the duration asked. */
    RECORDING_BY_HAND;

    /** As a metric tag and in the log. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return tag();
    }
}
