package dev.vpcflowlogs.recorder.notification;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * An end-of-recording message as SNS accepts it. The SNS API reference (Publish): "Subjects must be UTF-8 text with no
 * line breaks or control characters, and less than 100 characters long", and messages "must be UTF-8 encoded strings
 * and at most 256 KB in size (262,144 bytes, not 262,144 characters)". {@link #fitted} makes any text so.
 */
public record Notification(String subject, String body) {

    /** Less than 100 characters. */
    public static final int MAX_SUBJECT = 99;

    public static final int MAX_BODY_BYTES = 262_144;
    static final String CUT = "...";

    /** Control characters (line breaks among them), Unicode's line and paragraph separators, lone surrogates. */
    private static final Pattern UNFIT = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}\\p{Cs}]+");

    public Notification {
        if (subject.length() > MAX_SUBJECT || UNFIT.matcher(subject).find()) {
            throw new IllegalArgumentException("not a subject SNS accepts: " + subject);
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("a body longer than SNS's 256 KB");
        }
    }

    /** A notification from any text: the subject on one line of at most 99 characters, the body within 256 KB. */
    public static Notification fitted(String subject, String body) {
        return new Notification(fitSubject(subject), fitBody(body));
    }

    static String fitSubject(String text) {
        String clean =
                UNFIT.matcher(text).replaceAll(" ").replaceAll(" {2,}", " ").strip();
        if (clean.length() <= MAX_SUBJECT) {
            return clean;
        }
        int end = MAX_SUBJECT - CUT.length();
        if (Character.isHighSurrogate(clean.charAt(end - 1))) {
            end--;
        }
        return clean.substring(0, end).stripTrailing() + CUT;
    }

    static String fitBody(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BODY_BYTES) {
            return text;
        }
        String note =
                "\n[The rest is cut: SNS takes at most 256 KB. /actuator/recordings/<id> has the whole report.]\n";
        int budget = MAX_BODY_BYTES - note.getBytes(StandardCharsets.UTF_8).length;
        int chars = 0;
        int used = 0;
        while (chars < text.length()) {
            int cp = text.codePointAt(chars);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > budget) {
                break;
            }
            used += size;
            chars += Character.charCount(cp);
        }
        return text.substring(0, chars) + note;
    }
}
