package dev.vpcflowlogs.recorder.recording;

/** The signal could not be handled now but may be later: the message must not be acknowledged. */
public class RecordingDeferredException extends RuntimeException {

    private final Reason reason;

    public RecordingDeferredException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
