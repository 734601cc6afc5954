package dev.vpcflowlogs.recorder.e2e;

import java.net.URI;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.rest.sqs.TheSQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** An embedded ElasticMQ (the real SQS JSON protocol) on 127.0.0.1, and a client to feed it. */
public final class LocalSqs implements AutoCloseable {

    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient client;

    private LocalSqs(int port) {
        TheSQSRestServerBuilder builder = SQSRestServerBuilder.withInterface("127.0.0.1");
        server = (port == 0 ? builder.withDynamicPort() : builder.withPort(port)).start();
        int actual = server.waitUntilStarted().localAddress().getPort();
        endpoint = URI.create("http://127.0.0.1:" + actual);
        client = SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    public static LocalSqs start() {
        return new LocalSqs(0);
    }

    public static LocalSqs start(int port) {
        return new LocalSqs(port);
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * Creates {@code name} with a dead-letter queue {@code name-dlq} after {@code maxReceiveCount} receives, as the
     * deployment template does.
     */
    public String createQueueWithDeadLetterQueue(String name, int maxReceiveCount) {
        String dlqUrl = client.createQueue(r -> r.queueName(name + "-dlq")).queueUrl();
        String dlqArn = client.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        return client.createQueue(r -> r.queueName(name)
                        .attributes(Map.of(
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"maxReceiveCount\":\"" + maxReceiveCount + "\",\"deadLetterTargetArn\":\"" + dlqArn
                                        + "\"}",
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                "30")))
                .queueUrl();
    }

    public void send(String queueName, String body) {
        String url = client.getQueueUrl(r -> r.queueName(queueName)).queueUrl();
        client.sendMessage(r -> r.queueUrl(url).messageBody(body));
    }

    /** Messages waiting (visible or in flight) in a queue. */
    public int depth(String queueName) {
        String url = client.getQueueUrl(r -> r.queueName(queueName)).queueUrl();
        Map<QueueAttributeName, String> attributes = client.getQueueAttributes(r -> r.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    public boolean queueExists(String queueName) {
        return client.listQueues(r -> r.queueNamePrefix(queueName)).queueUrls().stream()
                .anyMatch(url -> url.endsWith("/" + queueName));
    }

    @Override
    public void close() {
        client.close();
        server.stopAndWait();
    }
}
