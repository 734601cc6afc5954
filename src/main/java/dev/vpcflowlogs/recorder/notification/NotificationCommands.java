package dev.vpcflowlogs.recorder.notification;

/** What an operator may ask of the notifications. */
public interface NotificationCommands {

    /**
     * Sends a recording's notification again now.
     *
     * @return false if the recording has no notification yet, or it is waiting to go out anyway
     */
    boolean sendAgain(String recordingId, String operator);
}
