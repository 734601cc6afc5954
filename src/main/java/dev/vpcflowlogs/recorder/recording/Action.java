package dev.vpcflowlogs.recorder.recording;

/** What a transition asks the outside world to do once its new state is stored. */
sealed interface Action {

    record CreateFlowLogs(Recording recording) implements Action {}

    record DeleteFlowLogs(Recording recording) implements Action {}

    /** The end-of-recording notification is due at the recording's {@code notifyAt}. */
    record Notify(Recording recording) implements Action {}
}
