package dev.vpcflowlogs.recorder.intake;

/** A message that can never be handled: it goes to the dead-letter queue after the queue's retries. */
class MalformedEventException extends RuntimeException {

    private final IntakeReason reason;

    MalformedEventException(IntakeReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    IntakeReason reason() {
        return reason;
    }
}
