package dev.vpcflowlogs.recorder.notification;

/**
 * A channel refused a notification for good (SNS answered a client error other than throttling: an invalid parameter,
 * a topic that does not exist, a missing permission). Sending it again unchanged cannot help: it ends
 * {@code rejected}, and its text stays readable at {@code /actuator/recordings/{id}}.
 */
public class NotificationRejectedException extends RuntimeException {

    public NotificationRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
