package dev.vpcflowlogs.recorder.report;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** What asking for a recording's report gave: the report (or nothing to report), or come back later. */
public sealed interface ReportOutcome {

    /** @param report null when there is nothing to report (reports are off, or no flow log was made) */
    record Ready(@Nullable StoredReport report) implements ReportOutcome {}

    /** Records may still be on their way: ask again at {@code at}. */
    record Later(Instant at, String why) implements ReportOutcome {}
}
