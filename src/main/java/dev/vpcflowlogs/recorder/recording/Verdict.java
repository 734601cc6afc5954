package dev.vpcflowlogs.recorder.recording;

import java.util.Locale;

/** What became of an alarm signal; its {@link #tag()} is the {@code outcome} of {@code recorder.events}. */
public enum Verdict {
    /** It changed a recording. */
    ACTED,
    /** It asked for nothing the recorder should do. */
    IGNORED,
    /** Its event id was already handled. */
    DUPLICATE,
    /** Its state timestamp is older than the last one handled for the gateway. */
    STALE;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
