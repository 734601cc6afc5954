package dev.vpcflowlogs.recorder.recording;

/**
 * A recording completed or failed. Published inside the transaction that stores its end, so that whoever keeps the
 * end-of-recording notification stores it in that same transaction: a crash loses neither or both.
 */
public record RecordingEnded(Recording recording) {}
