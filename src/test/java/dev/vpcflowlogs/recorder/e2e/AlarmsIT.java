package dev.vpcflowlogs.recorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.Alarm;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The recorder's own alarms, discovery by tag, and the permission preflight, against the stand-in. */
class AlarmsIT extends EndToEndSupport {

    static final String PREFIX = "vpc-flowlogs-recorder-";
    static final List<String> GATEWAYS = gateways(5, 0xa1a0);
    static final String LISTED_A = GATEWAYS.get(0);
    static final String LISTED_B = GATEWAYS.get(1);
    static final String TAGGED = GATEWAYS.get(2);
    static final String TAGGED_OTHERWISE = GATEWAYS.get(3);
    static final String UNWATCHED = GATEWAYS.get(4);
    static final Map<String, String> DISCOVERY_TAG = Map.of("flowlogs-recorder", "enabled");
    static final long MB_100 = 100L * 1024 * 1024;
    static final long GB_1 = 1024L * 1024 * 1024;

    @Override
    AwsStandIn standIn() {
        AwsStandIn standIn = standInWith(GATEWAYS, 0xa1a0);
        standIn.natGatewayTags(TAGGED, Map.of("flowlogs-recorder", "enabled", "team", "payments"));
        standIn.natGatewayTags(TAGGED_OTHERWISE, Map.of("flowlogs-recorder", "disabled"));
        standIn.foreignAlarm(PREFIX + UNWATCHED, Map.of("owner", "someone-else"));
        return standIn;
    }

    void watchTwoListedAndDiscoverByTag() {
        watch(List.of(LISTED_A, LISTED_B));
        recorder.with("recorder.nat-gateways[1].threshold", "1GB")
                .with("recorder.discovery.tags.flowlogs-recorder", "enabled");
    }

    Map<String, Alarm> recorderAlarms() {
        return aws.alarms().entrySet().stream()
                .filter(e -> "vpc-flowlogs-recorder".equals(e.getValue().tags().get("managed-by")))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Test
    void twoListedGatewaysAndOneTaggedGetExactlyThreeAlarmsWithTheOriginalsMetricMath() {
        Alarm foreign = aws.alarms().get(PREFIX + UNWATCHED);
        watchTwoListedAndDiscoverByTag();
        recorder.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> recorderAlarms().size() == 3);
        assertThat(recorderAlarms()).containsOnlyKeys(PREFIX + LISTED_A, PREFIX + LISTED_B, PREFIX + TAGGED);

        Alarm a = aws.alarms().get(PREFIX + LISTED_A);
        assertThat(a.tags())
                .containsEntry("managed-by", "vpc-flowlogs-recorder")
                .containsEntry("nat-gateway-id", LISTED_A);
        assertThat(a.settings())
                .containsEntry("ActionsEnabled", false)
                .containsEntry("EvaluationPeriods", 3)
                .containsEntry("DatapointsToAlarm", 1)
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold");
        assertThat(((Number) a.settings().get("Threshold")).doubleValue()).isEqualTo(1.0);
        assertThat(expression(a)).isEqualTo("IF(m1 > " + MB_100 + ", 1, 0) + IF(m2 > " + MB_100 + ", 1, 0)");
        assertThat(metric(a, "m1")).isEqualTo(List.of("AWS/NATGateway", "BytesInFromSource", LISTED_A, 60, "Sum"));
        assertThat(metric(a, "m2")).isEqualTo(List.of("AWS/NATGateway", "BytesInFromDestination", LISTED_A, 60, "Sum"));
        assertThat(expression(aws.alarms().get(PREFIX + LISTED_B)))
                .as("the per-gateway threshold")
                .isEqualTo("IF(m1 > " + GB_1 + ", 1, 0) + IF(m2 > " + GB_1 + ", 1, 0)");
        assertThat(metric(aws.alarms().get(PREFIX + TAGGED), "m1")).contains(TAGGED);

        assertThat(aws.alarms().get(PREFIX + UNWATCHED))
                .as("an alarm with the prefix but not the recorder's tag is never touched")
                .isEqualTo(foreign);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> recorder.count("recorder.alarms.actions", "action", "created") == 3);
        assertThat(recorder.count("recorder.alarms.actions", "action", "deleted"))
                .isZero();
        assertThat(aws.calls("DeleteAlarms")).isEmpty();
    }

    @Test
    void aSpikeQueuedWhileTheRecorderWasDownIsRecordedBeforeThePreflightAndTheAlarmPassBegin() {
        watch(List.of(LISTED_A));
        recorder.send(Events.alarm(LISTED_A, Instant.now()));
        recorder.with("recorder.preflight.start-delay", "3s")
                .with("recorder.alarms.start-delay", "3s")
                .start();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !aws.calls("CreateFlowLogs").isEmpty());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> !aws.preflightCalls().isEmpty()
                        && !aws.calls("DescribeAlarms").isEmpty());
        Instant recorded = aws.calls("CreateFlowLogs").get(0).at();
        assertThat(recorded)
                .as("the spike's CreateFlowLogs, before the start-up work it would share the CPU with")
                .isBefore(aws.preflightCalls().get(0).at())
                .isBefore(aws.calls("DescribeAlarms").get(0).at());
    }

    @Test
    void aDozenNewGatewaysGetTheirAlarmsWithoutCloudWatchThrottlingTheRecorder() {
        List<String> dozen = gateways(12, 0xa2a0);
        for (int i = 0; i < dozen.size(); i++) {
            aws.natGateway(dozen.get(i), Gateways.interfaces(i, 0xa2a0).toArray(String[]::new));
        }
        watch(dozen);
        recorder.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> recorderAlarms().size() == 12);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> recorder.count("recorder.alarms.actions", "action", "created") == 12);
        assertThat(aws.cloudWatchThrottled())
                .as("CloudWatch takes 3 PutMetricAlarm a second in an account and region")
                .isZero();
        assertThat(recorder.count("recorder.alarms.actions", "action", "failed"))
                .isZero();
    }

    @Test
    void aChangedThresholdUpdatesItsAlarmAndARemovedGatewayLosesItsAlarm() {
        watchTwoListedAndDiscoverByTag();
        recorder.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> recorderAlarms().size() == 3);
        recorder.stop();

        recorder.without("recorder.nat-gateways[1].id")
                .without("recorder.nat-gateways[1].threshold")
                .with("recorder.alarms.threshold", "200MB")
                .start();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !recorderAlarms().containsKey(PREFIX + LISTED_B)
                        && expression(aws.alarms().get(PREFIX + LISTED_A)).contains(String.valueOf(2 * MB_100)));
        assertThat(recorderAlarms()).containsOnlyKeys(PREFIX + LISTED_A, PREFIX + TAGGED);
        assertThat(aws.alarms()).containsKey(PREFIX + UNWATCHED);
    }

    @Test
    void aTaggedGatewayThatIsDeletedLosesItsAlarmAndItsRecordingEndsCleanly() {
        watchTwoListedAndDiscoverByTag();
        recorder.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> recorderAlarms().containsKey(PREFIX + TAGGED));

        recorder.send(Events.alarm(TAGGED, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);

        aws.natGatewayState(TAGGED, "deleted");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> !aws.alarms().containsKey(PREFIX + TAGGED)
                        && aws.flowLogs().isEmpty()
                        && aws.published().size() == 1);
        assertThat(aws.published().get(0).message()).contains("no longer watched");
        assertThat(recorder.count("recorder.recordings", "result", "completed")).isEqualTo(1);
        assertThat(recorderAlarms()).containsOnlyKeys(PREFIX + LISTED_A, PREFIX + LISTED_B);
    }

    @Test
    void aGatewayInAnomalyModeGetsAnAnomalyDetectionBandOverTheTotalOfItsMetrics() {
        watch(List.of(LISTED_A));
        recorder.with("recorder.nat-gateways[0].mode", "anomaly")
                .with("recorder.nat-gateways[0].band-width", "3")
                .start();

        await().atMost(Duration.ofSeconds(20)).until(() -> recorderAlarms().containsKey(PREFIX + LISTED_A));
        Alarm a = aws.alarms().get(PREFIX + LISTED_A);
        assertThat(a.settings())
                .containsEntry("ComparisonOperator", "GreaterThanUpperThreshold")
                .containsEntry("ThresholdMetricId", "ad1")
                .doesNotContainKey("Threshold");
        assertThat(queries(a))
                .extracting(q -> q.get("Expression"))
                .contains("m1 + m2", "ANOMALY_DETECTION_BAND(e1, 3)");
    }

    @Test
    void anAlarmOfAManagedExpressionOnlyAlarmMapsToItsGatewayByName() {
        watch(List.of(LISTED_A));
        recorder.start();

        recorder.send(expressionOnlyAlarm(PREFIX + LISTED_A));

        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);
        assertThat(aws.flowLogs()).allSatisfy(f -> assertThat(f.tags()).containsEntry("nat-gateway-id", LISTED_A));
    }

    @Test
    void healthNamesTheMissingPermissionUntilItIsGranted() {
        aws.deny("CreateFlowLogs");
        watch(List.of(LISTED_A));
        recorder.start();

        await().atMost(Duration.ofSeconds(20))
                .until(() -> recorder.get("/actuator/health/permissions").getKey() == 503);
        Map.Entry<Integer, String> health = recorder.get("/actuator/health/permissions");
        assertThat(health.getValue())
                .contains("\"status\":\"DOWN\"")
                .contains("ec2:CreateFlowLogs: the recorder's role does not allow it");
        assertThat(recorder.count(
                        "recorder.preflight.checks", "permission", "ec2:CreateFlowLogs", "outcome", "missing"))
                .isEqualTo(1);

        aws.allow("CreateFlowLogs");
        assertThat(recorder.post("/actuator/preflight").getValue()).contains("\"status\":\"UP\"");
        assertThat(aws.dryRuns("CreateFlowLogs")).last().satisfies(call -> assertThat(call.params())
                .containsEntry("ResourceId.1", String.format("eni-0%016x", 0xa1a0))
                .containsEntry("DeliverLogsPermissionArn", RecorderHarness.ROLE));
        assertThat(aws.flowLogs()).as("a dry run creates nothing").isEmpty();
        assertThat(recorder.get("/actuator/health/permissions").getValue()).contains("\"status\":\"UP\"");
    }

    static String expression(Alarm alarm) {
        return queries(alarm).stream()
                .filter(q -> q.get("Expression") != null)
                .map(q -> (String) q.get("Expression"))
                .findFirst()
                .orElseThrow();
    }

    static List<Object> metric(Alarm alarm, String id) {
        Map<?, ?> q = queries(alarm).stream()
                .filter(m -> id.equals(m.get("Id")))
                .findFirst()
                .orElseThrow();
        Map<?, ?> stat = (Map<?, ?>) q.get("MetricStat");
        Map<?, ?> metric = (Map<?, ?>) stat.get("Metric");
        Map<?, ?> dimension = (Map<?, ?>) ((List<?>) metric.get("Dimensions")).get(0);
        return List.of(
                metric.get("Namespace"),
                metric.get("MetricName"),
                dimension.get("Value"),
                stat.get("Period"),
                stat.get("Stat"));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> queries(Alarm alarm) {
        return (List<Map<String, Object>>) alarm.settings().get("Metrics");
    }

    /** An ALARM whose metrics are one expression: no gateway dimension, no tags; only its name tells. */
    static String expressionOnlyAlarm(String alarmName) {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode event = (ObjectNode) json.readTree(Events.mathAlarm("nat-00000000000000000", Instant.now()));
        ObjectNode detail = (ObjectNode) event.get("detail");
        detail.put("alarmName", alarmName);
        ArrayNode metrics = (ArrayNode) detail.get("configuration").get("metrics");
        while (metrics.size() > 1) {
            metrics.remove(1);
        }
        return json.writeValueAsString(event);
    }
}
