package dev.vpcflowlogs.recorder.notification;

/** Somewhere a notification is delivered (SNS); the log always gets it too. */
public interface NotificationChannel {

    void send(Notification notification);

    String name();
}
