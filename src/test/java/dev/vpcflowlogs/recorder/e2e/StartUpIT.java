package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Start-up: what is missing keeps the daemon up, readiness says why, and it recovers once it is there. */
class StartUpIT extends EndToEndSupport {

    @Override
    AwsStandIn standIn() {
        return AwsStandIn.start().natGateway(SAMPLE_GATEWAY, "eni-0a00000000000000a");
    }

    Map.Entry<Integer, String> readiness() {
        return recorder.get("/actuator/health/readiness");
    }

    @Test
    void aDatabaseThatIsNotThereYetKeepsTheDaemonUpUntilItComes() throws Exception {
        String database =
                "late_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String base = RecorderHarness.postgresUrl();
        String url = base.substring(0, base.lastIndexOf('/') + 1) + database;
        recorder.with("spring.datasource.url", url + "?currentSchema=" + recorder.schema())
                .start();
        try {
            assertThat(readiness().getKey()).isEqualTo(503);
            assertThat(readiness().getValue()).contains("\"store\"", "the store cannot be reached", database);
            recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));

            execute(base, "create database " + database);

            await().atMost(Duration.ofSeconds(60)).until(() -> readiness().getKey() == 200);
            await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 1);
        } finally {
            recorder.stop();
            execute(base, "drop database if exists " + database + " with (force)");
        }
    }

    @Test
    void aQueueThatDoesNotExistIsReportedAndConsumedOnceItDoes() {
        String queue = "late-" + UUID.randomUUID().toString().substring(0, 8);
        recorder.with("recorder.queue", queue).start();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> readiness().getValue().contains("cannot consume queue " + queue));
        assertThat(readiness().getKey()).isEqualTo(503);
        assertThat(sqs.queueExists(queue)).isFalse();

        recorder.createQueue(queue);
        sqs.send(queue, Events.alarm(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(90)).until(() -> aws.flowLogs().size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> readiness().getKey() == 200);
    }

    @Test
    void awsFailingDuringSetUpIsReportedAndRetried() {
        aws.failRandomly("CreateLogGroup", 1.0, 503, "ServiceUnavailableException");
        recorder.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> readiness()
                .getValue()
                .contains("log group /vpc-flowlogs-recorder/recordings in own account/us-east-1 cannot be"));
        assertThat(readiness().getKey()).isEqualTo(503);
        assertThat(recorder.count("recorder.aws.errors", "operation", "EnsureLogGroup"))
                .isGreaterThanOrEqualTo(1);

        aws.clearFaults();

        await().atMost(Duration.ofSeconds(30)).until(() -> readiness().getKey() == 200);
        assertThat(aws.logGroups()).containsEntry(RecorderHarness.LOG_GROUP, 7);
    }

    @Test
    void everyClientHonoursTheSdksOwnEndpointSettings() {
        // The same resolution as AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_SQS, which a test cannot set in its own JVM.
        String sqsEndpoint = recorder.property("spring.cloud.aws.sqs.endpoint");
        recorder.without("spring.cloud.aws.endpoint").without("spring.cloud.aws.sqs.endpoint");
        System.setProperty("aws.endpointUrl", aws.endpoint().toString());
        System.setProperty("aws.endpointUrlSqs", sqsEndpoint);
        try {
            recorder.start();
            recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
            await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 1);
            recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));
            await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 1);
            assertThat(aws.logGroups()).containsKey(RecorderHarness.LOG_GROUP);
        } finally {
            System.clearProperty("aws.endpointUrl");
            System.clearProperty("aws.endpointUrlSqs");
        }
    }

    private static void execute(String url, String sql) throws Exception {
        try (var connection = DriverManager.getConnection(
                        url, RecorderHarness.postgresUser(), RecorderHarness.postgresPassword());
                var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void aLogGroupThatExistsKeepsItsRetention() {
        // A stack's group, kept for compliance: the recorder must not cut it to its own 7 days.
        aws.logGroup(RecorderHarness.LOG_GROUP, 365, Map.of("owner", "platform"));
        recorder.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> readiness().getKey() == 200);
        assertThat(aws.logGroups()).containsEntry(RecorderHarness.LOG_GROUP, 365);
        assertThat(aws.calls("PutRetentionPolicy")).isEmpty();
        assertThat(recorder.get("/actuator/health/flowLogDestination").getValue())
                .contains("365 days (kept as found)");
    }

    @Test
    void aGroupTheRecorderCreatedButLeftWithoutRetentionGetsTheConfiguredOne() {
        // A recorder that stopped between CreateLogGroup and PutRetentionPolicy left its group never expiring.
        aws.logGroup(RecorderHarness.LOG_GROUP, 0, Map.of("managed-by", "vpc-flowlogs-recorder"));
        aws.logGroup("/someone-elses", 0, Map.of());
        recorder.with("recorder.flow-logs.retention-days", 14).start();

        await().atMost(Duration.ofSeconds(30)).until(() -> readiness().getKey() == 200);
        assertThat(aws.logGroups()).containsEntry(RecorderHarness.LOG_GROUP, 14).containsEntry("/someone-elses", 0);
    }

    @Test
    void aGroupTheRecorderCreatesGetsTheConfiguredRetention() {
        recorder.with("recorder.flow-logs.retention-days", 30).start();

        await().atMost(Duration.ofSeconds(30)).until(() -> readiness().getKey() == 200);
        assertThat(aws.logGroups()).containsEntry(RecorderHarness.LOG_GROUP, 30);
        assertThat(aws.logGroupTags(RecorderHarness.LOG_GROUP)).containsEntry("managed-by", "vpc-flowlogs-recorder");
    }
}
