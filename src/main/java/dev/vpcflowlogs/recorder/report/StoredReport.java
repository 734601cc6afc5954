package dev.vpcflowlogs.recorder.report;

import org.jspecify.annotations.Nullable;

/**
 * A recording's spike report as stored: made (its JSON and the summary the notification carries), or given up on
 * (why).
 */
public record StoredReport(
        String recordingId, Status status, @Nullable String detail, @Nullable String json, @Nullable String summary) {

    public enum Status {
        COMPLETE,
        FAILED
    }
}
