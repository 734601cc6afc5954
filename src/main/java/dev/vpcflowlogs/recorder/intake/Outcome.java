package dev.vpcflowlogs.recorder.intake;

import dev.vpcflowlogs.recorder.recording.Verdict;
import java.util.Locale;

/** The one outcome of each message: the {@code outcome} tag of {@code recorder.events}. */
enum Outcome {
    ACTED,
    IGNORED,
    DUPLICATE,
    STALE,
    /** It can never be handled: it reaches the dead-letter queue. */
    MALFORMED,
    /** It cannot be handled now: it returns to the queue. */
    TRANSIENT;

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Outcome of(Verdict verdict) {
        return switch (verdict) {
            case ACTED -> ACTED;
            case IGNORED -> IGNORED;
            case DUPLICATE -> DUPLICATE;
            case STALE -> STALE;
        };
    }
}
