package dev.vpcflowlogs.recorder.recording;

/** The signal could not be handled now but may be later: the message must not be acknowledged. */
public class RecordingDeferredException extends RuntimeException {

    private final String reason;

    public RecordingDeferredException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
