package dev.vpcflowlogs.recorder.report;

import org.jspecify.annotations.Nullable;

/**
 * A recording's spike report as stored: made (its JSON and the summary the notification carries), given up on (why),
 * or waiting to be tried again (a flow log had delivered nothing yet).
 *
 * @param attempts how many times it was made; the second attempt is final
 */
public record StoredReport(
        String recordingId,
        Status status,
        @Nullable String detail,
        @Nullable String json,
        @Nullable String summary,
        int attempts) {

    public enum Status {
        COMPLETE,
        FAILED,
        /** Made once too early: a flow log had delivered nothing. It is made again after a delay. */
        WAITING
    }

    public boolean isFinal() {
        return status != Status.WAITING;
    }
}
