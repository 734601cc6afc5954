package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.Call;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.FlowLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The running daemon against ElasticMQ, PostgreSQL and the AWS stand-in: a spike from alarm to notification. */
class RecordingIT extends EndToEndSupport {

    static final String ENI_A = "eni-0a00000000000000a";
    static final String ENI_B = "eni-0b00000000000000b";
    static final String ORIGINAL_FORMAT = "${action} ${flow-direction} ${traffic-path} ${srcaddr} ${srcport}"
            + " ${dstaddr} ${dstport} ${protocol} ${bytes} ${type} ${pkt-srcaddr} ${pkt-src-aws-service}"
            + " ${pkt-dstaddr} ${pkt-dst-aws-service}";

    @Override
    AwsStandIn standIn() {
        // Two addresses share ENI_A: the recorder must record each interface once.
        return AwsStandIn.start().natGateway(SAMPLE_GATEWAY, ENI_A, ENI_B, ENI_A);
    }

    @Test
    void recordsEveryInterfaceOnAlarmAndDeletesFlowLogsAfterTheTailOfOk() {
        recorder.start();
        recorder.send(Events.sample("alarm-single-metric.json"));

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        List<Call> creates = aws.calls("CreateFlowLogs");
        assertThat(creates).hasSize(1);
        Call create = creates.get(0);
        assertThat(create.params())
                .containsEntry("ResourceType", "NetworkInterface")
                .containsEntry("ResourceId.1", ENI_A)
                .containsEntry("ResourceId.2", ENI_B)
                .doesNotContainKey("ResourceId.3")
                .containsEntry("TrafficType", "ALL")
                .containsEntry("LogDestinationType", "cloud-watch-logs")
                .containsEntry("LogGroupName", RecorderHarness.LOG_GROUP)
                .containsEntry("DeliverLogsPermissionArn", RecorderHarness.ROLE)
                .containsEntry("LogFormat", ORIGINAL_FORMAT)
                .containsEntry("MaxAggregationInterval", "60");
        assertThat(create.params().get("ClientToken")).startsWith("vfr-").hasSizeLessThanOrEqualTo(64);
        FlowLog flowLog = aws.flowLogs().get(0);
        String recordingId = flowLog.tags().get("recording-id");
        assertThat(create.params().get("ClientToken")).endsWith(recordingId);
        assertThat(flowLog.tags())
                .containsEntry("managed-by", "vpc-flowlogs-recorder")
                .containsEntry("nat-gateway-id", SAMPLE_GATEWAY)
                .containsKey("expires-at");
        assertThat(aws.logGroups()).containsEntry(RecorderHarness.LOG_GROUP, 7);

        Instant okSent = Instant.now();
        recorder.send(Events.sample("ok-single-metric.json"));

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().isEmpty());
        List<Call> deletes = aws.calls("DeleteFlowLogs");
        assertThat(deletes).hasSize(1);
        assertThat(Duration.between(okSent, deletes.get(0).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));

        await().atMost(Duration.ofSeconds(10)).until(() -> aws.published().size() == 1);
        AwsStandIn.Published notification = aws.published().get(0);
        assertThat(notification.topicArn()).isEqualTo(RecorderHarness.TOPIC);
        assertThat(notification.subject())
                .hasSizeLessThanOrEqualTo(100)
                .contains(SAMPLE_GATEWAY)
                .contains("the alarm cleared");
        assertThat(notification.message())
                .contains(recordingId, ENI_A, ENI_B, flowLog.flowLogId())
                .containsPattern("Stopped because +the alarm cleared")
                .contains("parse @message \"* * * * * * * * * * * * * *\" as action, flow_direction")
                .contains("#logsV2:log-groups/log-group/$252Fvpc-flowlogs-recorder$252Frecordings");

        var listing = recorder.get("/actuator/recordings/" + recordingId);
        assertThat(listing.getKey()).isEqualTo(200);
        assertThat(listing.getValue()).contains("\"state\":\"COMPLETED\"", "\"stopReason\":\"ALARM_CLEARED\"");
        assertThat(recorder.count("recorder.events", "outcome", "acted")).isEqualTo(2);
        assertThat(recorder.count("recorder.recordings", "result", "completed")).isEqualTo(1);
    }

    @Test
    void duplicateAndStaleEventsCauseNoExtraAwsCall() {
        recorder.start();
        Instant alarmAt = Instant.now().minusSeconds(30);
        String alarm = Events.alarm(SAMPLE_GATEWAY, alarmAt);
        // SQS keeps no order, so each step waits for the previous one's outcome.
        recorder.send(alarm).send(alarm);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> recorder.count("recorder.events", "outcome", "duplicate")
                                + recorder.count("recorder.events", "outcome", "acted")
                        == 2);
        assertThat(recorder.count("recorder.events", "outcome", "duplicate")).isEqualTo(1);
        recorder.send(Events.mathAlarm(SAMPLE_GATEWAY, alarmAt.plusSeconds(1)));
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        recorder.count("recorder.events", "outcome", "ignored", "reason", "already-recording") == 1);
        assertThat(aws.calls("CreateFlowLogs")).hasSize(1);

        recorder.send(Events.ok(SAMPLE_GATEWAY, alarmAt.minusSeconds(60)));
        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.count("recorder.events", "outcome", "stale") == 1);
        assertThat(aws.flowLogs()).hasSize(2);

        String ok = Events.ok(SAMPLE_GATEWAY, alarmAt.plusSeconds(20));
        recorder.send(ok).send(ok);
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> aws.published().size() == 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> recorder.count("recorder.events", "outcome", "duplicate") == 2);
        assertThat(aws.calls("DeleteFlowLogs")).hasSize(1);
        assertThat(aws.calls("CreateFlowLogs")).hasSize(1);
    }

    @Test
    void malformedMessageReachesTheDeadLetterQueueWithoutStoppingConsumption() {
        recorder.start();
        recorder.send("this is not an event");
        recorder.send("{\"detail-type\": \"CloudWatch Alarm State Change\"}");
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.deadLetterDepth() == 2);
        assertThat(recorder.count("recorder.events", "outcome", "malformed", "reason", "not-json"))
                .isGreaterThanOrEqualTo(1);
        assertThat(recorder.count("recorder.events", "outcome", "malformed", "reason", "missing-id"))
                .isGreaterThanOrEqualTo(1);
        assertThat(recorder.count("recorder.events.dead_lettered")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.queueDepth() == 0);
    }

    @Test
    void aMalformedMessageIsDeadLetteredInSecondsThoughTheQueueAllowsAnOutageOfHours() {
        // 30 receives with retries a minute and more apart would keep a valid event through hours of outage.
        recorder.deadLetterAfter(30)
                .with("recorder.intake.first-retry-delay", "60s")
                .with("recorder.intake.max-retry-delay", "5m")
                .start();

        recorder.send("this is not an event");

        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.deadLetterDepth() == 1);
        assertThat(recorder.count("recorder.events.dead_lettered", "reason", "not-json"))
                .isEqualTo(1);
        assertThat(recorder.count("recorder.events", "outcome", "malformed")).isEqualTo(30);
    }

    @Test
    void eventsOfUnwatchedGatewaysAndOtherDetailTypesAreIgnoredWithoutAwsCalls() {
        recorder.start();
        recorder.send(Events.alarm("nat-0fffffffffffffff0", Instant.now()));
        recorder.send("{\"version\":\"0\",\"id\":\"x-1\",\"detail-type\":\"EC2 Instance State-change Notification\","
                + "\"source\":\"aws.ec2\",\"detail\":{}}");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> recorder.count("recorder.events", "outcome", "ignored") == 2);
        assertThat(recorder.count("recorder.events", "outcome", "ignored", "reason", "gateway-not-watched"))
                .isEqualTo(1);
        assertThat(recorder.count("recorder.events", "outcome", "ignored", "reason", "other-detail-type"))
                .isEqualTo(1);
        assertThat(aws.calls("DescribeNatGateways")).isEmpty();
        assertThat(aws.calls("CreateFlowLogs")).isEmpty();
        assertThat(aws.calls("DeleteFlowLogs")).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.queueDepth() == 0);
    }

    @Test
    void recordsTheInterfacesThatSucceedAndReportsTheOnesThatFailed() {
        String foreign = aws.foreignFlowLog(ENI_B, RecorderHarness.LOG_GROUP);
        recorder.start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogsOn(ENI_A).size() == 1);
        assertThat(aws.flowLogsOn(ENI_B)).extracting(FlowLog::flowLogId).containsExactly(foreign);

        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 1);
        assertThat(aws.flowLogsOn(ENI_A)).isEmpty();
        assertThat(aws.flowLogsOn(ENI_B)).extracting(FlowLog::flowLogId).containsExactly(foreign);
        assertThat(aws.published().get(0).message())
                .containsPattern("Not recorded +" + ENI_B + ": FlowLogAlreadyExists");
    }

    @Test
    void aRecordingWithNoFlowLogFailsAndIsNotified() {
        aws.foreignFlowLog(ENI_A, RecorderHarness.LOG_GROUP);
        aws.foreignFlowLog(ENI_B, RecorderHarness.LOG_GROUP);
        recorder.start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 1);
        AwsStandIn.Published notification = aws.published().get(0);
        assertThat(notification.subject()).startsWith("Recording FAILED on " + SAMPLE_GATEWAY);
        assertThat(notification.message()).contains("FlowLogAlreadyExists", ENI_A, ENI_B);
        assertThat(recorder.count("recorder.recordings", "result", "failed")).isEqualTo(1);
        assertThat(aws.calls("DeleteFlowLogs")).isEmpty();
    }

    @Test
    void aGatewayThatNoLongerExistsFailsTheRecordingWithItsCause() {
        recorder.with("recorder.nat-gateways[1].id", "nat-0123456789abcdef0").start();
        recorder.send(Events.alarm("nat-0123456789abcdef0", Instant.now()));

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).message()).contains("NatGatewayNotFound");
        assertThat(aws.calls("CreateFlowLogs")).isEmpty();
    }

    @Test
    void flowLogsAreDeletedAtTheirDeadlineAfterARestartMidRecording() {
        recorder.with("recorder.recording.max-duration", "8s").start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        Instant deadline = Instant.parse(aws.flowLogs().get(0).tags().get("expires-at"));

        recorder.stop();
        assertThat(aws.flowLogs()).hasSize(2);
        // The deadline passes while no recorder runs.
        await().atMost(Duration.ofSeconds(15)).until(() -> Instant.now().isAfter(deadline));
        assertThat(aws.flowLogs()).hasSize(2);
        recorder.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> aws.flowLogs().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).subject()).contains("it reached its maximum duration");
        assertThat(aws.calls("CreateFlowLogs")).hasSize(1);
    }

    @Test
    void stopsAtMaxDurationWhileTheAlarmStaysInAlarm() {
        recorder.with("recorder.recording.max-duration", "3s").start();
        Instant started = Instant.now();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, started));

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 1);
        assertThat(aws.flowLogs()).isEmpty();
        assertThat(Duration.between(started, aws.calls("DeleteFlowLogs").get(0).at()))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(aws.published().get(0).message()).containsPattern("Stopped because +it reached its maximum");
    }

    @Test
    void throttlingBeyondTheSdkRetriesIsRetriedByTheRecordingItselfAndTheMessageHandledOnce() {
        aws.failNext("CreateFlowLogs", 4, 503, "RequestLimitExceeded");
        recorder.with("recorder.aws.max-attempts", 3).start();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));

        await().atMost(Duration.ofSeconds(40)).until(() -> aws.flowLogs().size() == 2);
        assertThat(aws.calls("CreateFlowLogs").size()).isGreaterThan(4);
        assertThat(recorder.count("recorder.aws.errors", "operation", "CreateFlowLogs", "code", "RequestLimitExceeded"))
                .isGreaterThanOrEqualTo(1);
        // The stored recording retried by its own deadline; the message was handled once, so no redelivery can
        // start a second recording for the same ALARM.
        assertThat(recorder.count("recorder.events", "outcome", "acted", "reason", "recording-started"))
                .isEqualTo(1);
        assertThat(recorder.count("recorder.events", "outcome", "transient")).isZero();
        assertThat(recorder.count("recorder.recordings", "result", "started")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.queueDepth() == 0);
        assertThat(aws.flowLogsOn(ENI_A)).hasSize(1);
    }

    @Test
    void alarmsBeyondTheRecordingLimitAreSkipped() {
        recorder.with("recorder.recording.max-recordings-per-gateway", 1).start();
        Instant t = Instant.now().minusSeconds(60);
        recorder.send(Events.alarm(SAMPLE_GATEWAY, t));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        recorder.send(Events.ok(SAMPLE_GATEWAY, t.plusSeconds(10)));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 1);

        recorder.send(Events.alarm(SAMPLE_GATEWAY, t.plusSeconds(20)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> recorder.count("recorder.recordings", "result", "skipped") == 1);
        assertThat(aws.calls("CreateFlowLogs")).hasSize(1);
        assertThat(recorder.count("recorder.events", "reason", "recording-limit-reached"))
                .isEqualTo(1);
    }

    @Test
    void anAlarmDuringTheTailKeepsTheSameRecordingGoing() {
        recorder.with("recorder.recording.tail", "3s").start();
        Instant t = Instant.now().minusSeconds(60);
        recorder.send(Events.alarm(SAMPLE_GATEWAY, t));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);

        recorder.send(Events.ok(SAMPLE_GATEWAY, t.plusSeconds(10)));
        // SQS keeps no order: the ALARM is sent once the tail has started.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> recorder.count("recorder.events", "reason", "tail-started") == 1);
        recorder.send(Events.alarm(SAMPLE_GATEWAY, t.plusSeconds(11)));
        await().during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(8))
                .until(() -> aws.flowLogs().size() == 2
                        && aws.calls("DeleteFlowLogs").isEmpty());
        assertThat(recorder.count("recorder.events", "reason", "alarm-resumed")).isEqualTo(1);

        recorder.send(Events.ok(SAMPLE_GATEWAY, t.plusSeconds(20)));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().isEmpty());
        assertThat(aws.calls("CreateFlowLogs")).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> aws.published().size() == 1);
    }
}
