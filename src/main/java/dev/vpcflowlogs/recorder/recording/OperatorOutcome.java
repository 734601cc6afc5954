package dev.vpcflowlogs.recorder.recording;

import org.jspecify.annotations.Nullable;

/**
 * What an operator's request did, in words a person reads.
 *
 * @param recordingId the recording it started or stopped, if any
 */
public record OperatorOutcome(boolean done, Reason reason, @Nullable String recordingId, String message) {}
