package dev.vpcflowlogs.recorder.notification;

/** An end-of-recording message: a subject of at most 100 characters and a plain-text body. */
public record Notification(String subject, String body) {

    public static final int MAX_SUBJECT = 100;

    public Notification {
        if (subject.length() > MAX_SUBJECT) {
            throw new IllegalArgumentException("subject longer than " + MAX_SUBJECT + " characters");
        }
    }
}
