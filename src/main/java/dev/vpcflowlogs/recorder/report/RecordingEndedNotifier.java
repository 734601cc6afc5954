package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingNotifier;
import dev.vpcflowlogs.recorder.report.ReportStore.StoredReport;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends the end-of-recording notification, with the spike report when the recording made flow logs, to the log
 * always and to every configured channel.
 */
@Component
class RecordingEndedNotifier implements RecordingNotifier {

    private static final Logger log = LoggerFactory.getLogger(RecordingEndedNotifier.class);

    private final NotificationComposer composer;
    private final ReportBuilder reports;
    private final List<NotificationChannel> channels;
    private final boolean reportsEnabled;

    RecordingEndedNotifier(
            NotificationComposer composer,
            ReportBuilder reports,
            List<NotificationChannel> channels,
            RecorderProperties properties) {
        this.composer = composer;
        this.reports = reports;
        this.channels = channels;
        this.reportsEnabled = properties.report().enabled();
    }

    @Override
    public void recordingEnded(Recording recording) {
        StoredReport report = reportsEnabled && !recording.flowLogIds().isEmpty() && recording.endedAt() != null
                ? reports.reportOf(recording)
                : null;
        Notification notification = composer.compose(recording, report);
        log.info(
                "Gateway {} recording {} ended: {}\n{}",
                recording.gatewayId(),
                recording.id(),
                notification.subject(),
                notification.body());
        for (NotificationChannel channel : channels) {
            channel.send(notification);
            log.info(
                    "Gateway {} recording {}: notification sent to {}.",
                    recording.gatewayId(),
                    recording.id(),
                    channel.name());
        }
    }
}
