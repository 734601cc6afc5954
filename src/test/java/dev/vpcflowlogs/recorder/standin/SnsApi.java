package dev.vpcflowlogs.recorder.standin;

import dev.vpcflowlogs.recorder.standin.AwsStandIn.Published;
import dev.vpcflowlogs.recorder.standin.Wire.ApiError;
import dev.vpcflowlogs.recorder.standin.Wire.Response;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SNS, query protocol (form-encoded POST, XML answers): Publish only. The rules, from the SNS API reference, Publish:
 *
 * <ul>
 *   <li>a topic is published to only in its own account and region: any other is NotFound (404), as a topic of
 *       another region is (aws-facts, section 6);
 *   <li>"Subjects must be UTF-8 text with no line breaks or control characters, and less than 100 characters long":
 *       InvalidParameter (400) otherwise;
 *   <li>a message is "at most 256 KB in size (262,144 bytes, not 262,144 characters)", and not empty;
 *   <li>any other action: InvalidAction, not ignored.
 * </ul>
 */
final class SnsApi {

    private static final Logger log = LoggerFactory.getLogger(SnsApi.class);

    private SnsApi() {}

    static Response handle(AwsStandIn.Tenant here, String action, Map<String, String> params, String requestId) {
        if (!action.equals("Publish")) {
            throw new ApiError(400, "InvalidAction", "the stand-in does not implement SNS " + action);
        }
        String topicArn = params.get("TopicArn");
        if (topicArn == null) {
            throw new ApiError(400, "InvalidParameter", "TopicArn is required");
        }
        if (!here.topics.contains(topicArn)) {
            // The SNS API reference, Publish: NotFoundException, code NotFound, 404.
            throw new ApiError(404, "NotFound", "Topic does not exist");
        }
        // PublishInput.Subject: "Subjects must be UTF-8 text with no line breaks or control characters, and less
        // than 100 characters long."
        String subject = params.get("Subject");
        if (subject != null
                && (subject.isEmpty()
                        || subject.length() >= 100
                        || subject.codePoints()
                                .anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029))) {
            throw new ApiError(400, "InvalidParameter", "Invalid parameter: Subject");
        }
        // PublishInput.Message: "at most 256 KB in size (262,144 bytes, not 262,144 characters)".
        String message = params.get("Message");
        if (message == null || message.isEmpty()) {
            throw new ApiError(400, "InvalidParameter", "Invalid parameter: Empty message");
        }
        if (message.getBytes(StandardCharsets.UTF_8).length > 262_144) {
            throw new ApiError(400, "InvalidParameter", "Invalid parameter: Message too long");
        }
        here.published.add(new Published(topicArn, subject, params.get("Message")));
        log.info("Stand-in SNS: published to {}: {}", topicArn, subject);
        return new Response(
                200,
                "text/xml",
                "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                        + "<PublishResult><MessageId>" + java.util.UUID.randomUUID() + "</MessageId></PublishResult>"
                        + "<ResponseMetadata><RequestId>" + requestId
                        + "</RequestId></ResponseMetadata></PublishResponse>");
    }
}
