package dev.vpcflowlogs.recorder.recording;

import java.util.Locale;

/**
 * What became of a queue message: its {@link #tag()} is the {@code outcome} of {@code recorder.events}, one per
 * message. The recording service gives the first four for the alarm signals it handles; the intake gives them too for
 * messages it ignores, and alone gives {@link #MALFORMED} and {@link #TRANSIENT}, for messages that never became a
 * signal.
 */
public enum Verdict {
    /** It changed a recording. */
    ACTED,
    /** It asked for nothing the recorder should do. */
    IGNORED,
    /** Its event id was already handled. */
    DUPLICATE,
    /** Its state timestamp is older than the last one handled for the gateway. */
    STALE,
    /** It can never be handled: it stays unacknowledged and reaches the dead-letter queue. */
    MALFORMED,
    /** It cannot be handled now: it stays unacknowledged and returns to the queue. */
    TRANSIENT;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
