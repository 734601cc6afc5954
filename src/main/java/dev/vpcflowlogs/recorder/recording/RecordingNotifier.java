package dev.vpcflowlogs.recorder.recording;

/** Tells the operators that a recording ended, completed or failed. */
public interface RecordingNotifier {

    void recordingEnded(Recording recording);
}
