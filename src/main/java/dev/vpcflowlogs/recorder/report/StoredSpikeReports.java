package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.Recording;
import org.springframework.stereotype.Component;

/** {@link SpikeReports} made by the {@link ReportBuilder} and kept in the store. */
@Component
class StoredSpikeReports implements SpikeReports {

    private final ReportBuilder builder;
    private final boolean enabled;

    StoredSpikeReports(ReportBuilder builder, RecorderProperties properties) {
        this.builder = builder;
        this.enabled = properties.report().enabled();
    }

    @Override
    public ReportOutcome reportOf(Recording r) {
        if (!enabled || r.flowLogIds().isEmpty() || r.startedAt() == null || r.endedAt() == null) {
            return new ReportOutcome.Ready(null);
        }
        return builder.reportOf(r);
    }
}
