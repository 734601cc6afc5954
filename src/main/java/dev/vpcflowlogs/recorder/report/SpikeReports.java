package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.recording.Recording;
import org.jspecify.annotations.Nullable;

/** The spike report of an ended recording, made once and stored. */
public interface SpikeReports {

    /**
     * The recording's report, made now unless it was made before.
     *
     * @return null when there is nothing to report: reports are off, or the recording made no flow log
     */
    @Nullable
    StoredReport reportOf(Recording recording);
}
