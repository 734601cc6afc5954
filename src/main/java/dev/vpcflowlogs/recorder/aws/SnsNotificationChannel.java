package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.notification.Notification;
import dev.vpcflowlogs.recorder.notification.NotificationChannel;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

/** Publishes notifications to {@code recorder.notifications.topic-arn}, when it is set. */
@Component
@ConditionalOnProperty("recorder.notifications.topic-arn")
class SnsNotificationChannel implements NotificationChannel {

    private final SnsClient sns;
    private final String topicArn;
    private final AwsErrors errors;

    SnsNotificationChannel(SnsClient sns, RecorderProperties properties, AwsErrors errors) {
        this.sns = sns;
        this.topicArn = properties.notifications().topicArn();
        this.errors = errors;
    }

    @Override
    public void send(Notification notification) {
        try {
            sns.publish(
                    r -> r.topicArn(topicArn).subject(notification.subject()).message(notification.body()));
        } catch (SdkException e) {
            throw errors.translate("Publish", e);
        }
    }

    @Override
    public String name() {
        return "SNS topic " + topicArn;
    }
}
