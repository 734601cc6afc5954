package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.notification.Notification;
import dev.vpcflowlogs.recorder.notification.NotificationChannel;
import dev.vpcflowlogs.recorder.notification.NotificationRejectedException;
import java.util.Objects;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Publishes notifications to {@code recorder.notifications.topic-arn}, when it is set. A client error other than
 * throttling (the SNS API reference, Publish: InvalidParameter 400, AuthorizationError 403, NotFound 404, the KMS
 * errors) is a refusal for good; throttling, 5xx and a network failure are worth another attempt.
 */
@Component
@ConditionalOnProperty("recorder.notifications.topic-arn")
class SnsNotificationChannel implements NotificationChannel {

    /** SNS's and KMS's throttling codes; the SDK knows the generic ones (Throttling, 429). */
    static final Set<String> THROTTLING = Set.of("Throttled", "Throttling", "ThrottlingException", "KMSThrottling");

    private final SnsClient sns;
    private final String topicArn;
    private final AwsErrors errors;

    SnsNotificationChannel(SnsClient sns, RecorderProperties properties, AwsErrors errors) {
        this.sns = sns;
        this.topicArn = Objects.requireNonNull(properties.notifications().topicArn());
        this.errors = errors;
    }

    @Override
    public void send(Notification notification) {
        try {
            sns.publish(
                    r -> r.topicArn(topicArn).subject(notification.subject()).message(notification.body()));
        } catch (AwsServiceException e) {
            if (refusedForGood(e)) {
                errors.count("Publish", AwsErrors.codeOf(e));
                String message = e.awsErrorDetails() == null
                        ? e.getMessage()
                        : e.awsErrorDetails().errorMessage();
                throw new NotificationRejectedException(
                        "SNS refused the notification for " + topicArn + ": " + AwsErrors.codeOf(e) + ": " + message,
                        e);
            }
            throw errors.translate("Publish", e);
        } catch (SdkException e) {
            throw errors.translate("Publish", e);
        }
    }

    static boolean refusedForGood(AwsServiceException e) {
        return e.statusCode() >= 400
                && e.statusCode() < 500
                && e.statusCode() != 429
                && !e.isThrottlingException()
                && !THROTTLING.contains(AwsErrors.codeOf(e));
    }

    @Override
    public String name() {
        return "SNS topic " + topicArn;
    }
}
