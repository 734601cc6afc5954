package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.recording.Recording;

/** The spike report of an ended recording, made once (or twice, when its first look came too early) and stored. */
public interface SpikeReports {

    /**
     * The recording's report, made now unless it was made before. A first attempt that found a flow log silent,
     * or could not read the records, answers {@link ReportOutcome.Later}: the second attempt is final.
     */
    ReportOutcome reportOf(Recording recording);
}
