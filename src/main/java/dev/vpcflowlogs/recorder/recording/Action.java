package dev.vpcflowlogs.recorder.recording;

/** What a transition asks for once its new state is stored. */
sealed interface Action {

    record CreateFlowLogs(Recording recording) implements Action {}

    record DeleteFlowLogs(Recording recording) implements Action {}

    /** The recording ended: {@link RecordingEnded} is published in the same transaction as the new state. */
    record AnnounceEnd(Recording recording) implements Action {}
}
