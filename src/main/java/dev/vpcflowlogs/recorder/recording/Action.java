package dev.vpcflowlogs.recorder.recording;

/** What a transition asks for once its new state is stored. */
sealed interface Action {

    /**
     * @param first whether the recording is new in this decision: no call for it can have been written down yet, so
     *     its start need not look for one to send again
     */
    record CreateFlowLogs(Recording recording, boolean first) implements Action {

        /** A start asked again (a retry, a repeated ALARM, after a restart): its earlier call may exist. */
        CreateFlowLogs(Recording recording) {
            this(recording, false);
        }

        static CreateFlowLogs first(Recording recording) {
            return new CreateFlowLogs(recording, true);
        }
    }

    record DeleteFlowLogs(Recording recording) implements Action {}
}
