package dev.vpcflowlogs.recorder.intake;

/** A message that can never be handled: it goes to the dead-letter queue after the queue's retries. */
class MalformedEventException extends RuntimeException {

    private final String reason;

    MalformedEventException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
