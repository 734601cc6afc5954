package dev.vpcflowlogs.recorder.recording;

/**
 * A recording's flow logs exist: it records from now on. Published inside the transaction that stores it; listen
 * after its commit.
 */
public record RecordingStarted(Recording recording) {}
