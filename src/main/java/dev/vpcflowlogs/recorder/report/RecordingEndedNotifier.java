package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingNotifier;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Sends the end-of-recording notification to the log, always, and to every configured channel. */
@Component
class RecordingEndedNotifier implements RecordingNotifier {

    private static final Logger log = LoggerFactory.getLogger(RecordingEndedNotifier.class);

    private final NotificationComposer composer;
    private final List<NotificationChannel> channels;

    RecordingEndedNotifier(NotificationComposer composer, List<NotificationChannel> channels) {
        this.composer = composer;
        this.channels = channels;
    }

    @Override
    public void recordingEnded(Recording recording) {
        Notification notification = composer.compose(recording);
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
