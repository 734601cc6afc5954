package dev.vpcflowlogs.recorder.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.config.FlowLogFormat;
import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.recording.GatewayMode;
import dev.vpcflowlogs.recorder.recording.Recording;
import dev.vpcflowlogs.recorder.recording.RecordingState;
import dev.vpcflowlogs.recorder.recording.ResourceFailure;
import dev.vpcflowlogs.recorder.recording.StopReason;
import dev.vpcflowlogs.recorder.report.InsightsQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationComposerTest {

    static final Instant START = Instant.parse("2026-11-20T09:14:42Z");

    final NotificationComposer composer =
            new NotificationComposer(TestProperties.defaults(), new Places(TestProperties.defaults(), "eu-west-1"));

    static Recording completed() {
        return new Recording(
                "4f1c2d3e-0000-4000-8000-000000000001",
                "nat-0a1b2c3d4e5f60718",
                Place.home("eu-west-1"),
                RecordingState.COMPLETED,
                "e1",
                START.minusSeconds(1),
                START,
                START.plusSeconds(600),
                START.plusSeconds(900),
                START.plusSeconds(725),
                null,
                StopReason.ALARM_CLEARED,
                null,
                GatewayMode.ZONAL,
                List.of("eni-a", "eni-b"),
                List.of("fl-1", "fl-2"),
                List.of(new ResourceFailure("eni-c", "FlowLogsLimitExceeded", "limit")),
                0,
                List.of(),
                null,
                null,
                4);
    }

    @Test
    void saysWhatWasRecordedWhyItStoppedAndHowToReadIt() {
        Notification n = composer.compose(completed(), null);

        assertThat(n.subject()).isEqualTo("Flow logs recorded on nat-0a1b2c3d4e5f60718 for 12m 5s (the alarm cleared)");
        assertThat(n.body())
                .contains("4f1c2d3e-0000-4000-8000-000000000001")
                .containsPattern("Window +2026-11-20T09:14:42Z to 2026-11-20T09:26:47Z \\(12m 5s\\)")
                .containsPattern("Stopped because +the alarm cleared")
                .containsPattern("Interfaces +eni-a, eni-b")
                .containsPattern("Flow logs +fl-1, fl-2")
                .containsPattern("Not recorded +eni-c: FlowLogsLimitExceeded")
                .contains("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1"
                        + "#logsV2:log-groups/log-group/$252Fvpc-flowlogs-recorder$252Frecordings")
                .contains("filter @logStream in [\"eni-a-all\", \"eni-b-all\"]")
                .contains("--start-time " + START.minusSeconds(60).getEpochSecond())
                .contains("--end-time " + START.plusSeconds(725 + 60).getEpochSecond())
                .containsPattern("Report +not made");
    }

    @Test
    void theQueryParsesTheConfiguredFormatAndSumsBytesByWhoTalkedToWhom() {
        String query = InsightsQuery.forRecording(FlowLogFormat.parse(FlowLogFormat.ORIGINAL_FORMAT), false, Map.of());

        assertThat(query)
                .contains("| parse @message \"* * * * * * * * * * * * * *\" as action, flow_direction, traffic_path,"
                        + " srcaddr, srcport, dstaddr, dstport, protocol, bytes, type, pkt_srcaddr,"
                        + " pkt_src_aws_service, pkt_dstaddr, pkt_dst_aws_service")
                .contains("| stats sum(bytes) as total_bytes, count(*) as records by pkt_srcaddr, pkt_dstaddr,"
                        + " dstport, protocol, pkt_dst_aws_service")
                .doesNotContain("@logStream in");
    }

    @Test
    void theQueriesCountEachByteOnceBySentAndReceivedLegs() {
        List<InsightsQuery.Titled> queries = InsightsQuery.queries(
                FlowLogFormat.parse(FlowLogFormat.ORIGINAL_FORMAT), false, Map.of("eni-a", List.of("eni-a")));

        assertThat(queries).hasSize(2);
        assertThat(queries.get(0).query())
                .contains("| filter flow_direction = \"ingress\" and dstaddr != pkt_dstaddr")
                .contains("| stats sum(bytes) as sent by pkt_srcaddr, pkt_dstaddr, dstport, protocol");
        assertThat(queries.get(1).query())
                .contains("| filter flow_direction = \"egress\" and srcaddr != pkt_srcaddr")
                .contains("| stats sum(bytes) as received by pkt_dstaddr, pkt_srcaddr, srcport, protocol");
        assertThat(InsightsQuery.queries(FlowLogFormat.parse("srcaddr dstaddr bytes"), false, Map.of()))
                .singleElement()
                .satisfies(q -> assertThat(q.title()).contains("both sides of the NAT"));
    }

    @Test
    void aRegionalGatewaysQueryFindsItsStreamsByThePrefixesTheyMayHave() {
        String query = InsightsQuery.forRecording(
                FlowLogFormat.parse(FlowLogFormat.ORIGINAL_FORMAT),
                true,
                Map.of("nat-0regional00000001", List.of("nat-0regional00000001", "fl-0123456789abcdef0")));

        assertThat(query).contains("| filter @logStream like /^(nat-0regional00000001|fl-0123456789abcdef0)/");
    }

    @Test
    void aFormatWithoutPacketAddressesOrBytesStillGetsAUsefulQuery() {
        String query = InsightsQuery.forRecording(
                FlowLogFormat.parse("srcaddr dstaddr action"), false, Map.of("eni-a", List.of("eni-a")));

        assertThat(query)
                .contains("as srcaddr, dstaddr, action")
                .contains("| stats count(*) as records by srcaddr, dstaddr")
                .contains("| sort records desc");
    }

    @Test
    void aFailedRecordingSaysWhyInASubjectSnsAccepts() {
        Recording failed = new Recording(
                "r2",
                "nat-0a1b2c3d4e5f60718",
                Place.home("eu-west-1"),
                RecordingState.FAILED,
                "e1",
                START,
                null,
                null,
                START.plus(Duration.ofMinutes(15)),
                START.plusSeconds(2),
                null,
                StopReason.START_FAILED,
                "CreateFlowLogs failed on every interface: " + "eni-x: FlowLogsLimitExceeded (limit); ".repeat(10),
                GatewayMode.ZONAL,
                List.of("eni-x"),
                List.of(),
                List.of(),
                0,
                List.of(),
                null,
                null,
                3);

        Notification n = composer.compose(failed, null);

        assertThat(n.subject())
                .hasSize(99)
                .startsWith("Recording FAILED on nat-0a1b2c3d4e5f60718: CreateFlowLogs")
                .endsWith("...");
        assertThat(n.body())
                .contains("failed: no flow log was created", "FlowLogsLimitExceeded")
                .doesNotContain("Logs Insights");
    }

    @Test
    void aSubjectIsOneLineOfLessThanAHundredCharactersWithoutControlCharacters() {
        String fitted = Notification.fitSubject("first line\r\nsecond\tline\u0007 and\u2028a separator");

        assertThat(fitted).isEqualTo("first line second line and a separator");
        assertThat(Notification.fitSubject("x".repeat(99))).hasSize(99).doesNotEndWith("...");
        assertThat(Notification.fitSubject("x".repeat(100))).hasSize(99).endsWith("x...");
        assertThat(Notification.fitSubject("\uD83D\uDE00".repeat(60)))
                .as("a pair of surrogates is never cut in two")
                .hasSizeLessThanOrEqualTo(99)
                .endsWith("\uDE00...");
    }

    @Test
    void aBodyOverSnsLimitIsCutToFitAndSaysSo() {
        String body = "\u00e9".repeat(200_000); // 400,000 bytes in UTF-8

        String fitted = Notification.fitBody(body);

        assertThat(fitted.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(Notification.MAX_BODY_BYTES);
        assertThat(fitted).endsWith("has the whole report.]\n").startsWith("\u00e9\u00e9");
    }

    @Test
    void theSubjectOfARecordingWhoseGatewayIsNoLongerWatchedFits() {
        Recording unwatched = new Recording(
                "r3",
                "nat-0a1b2c3d4e5f60718",
                Place.home("eu-west-1"),
                RecordingState.COMPLETED,
                "e1",
                START,
                START,
                null,
                START.plus(Duration.ofMinutes(15)),
                START.plus(Duration.ofMinutes(3)),
                null,
                StopReason.GATEWAY_UNWATCHED,
                null,
                GatewayMode.ZONAL,
                List.of("eni-a"),
                List.of("fl-1"),
                List.of(),
                0,
                List.of(),
                null,
                null,
                5);

        Notification n = composer.compose(unwatched, null);

        assertThat(n.subject())
                .hasSizeLessThan(100)
                .startsWith("Flow logs recorded on nat-0a1b2c3d4e5f60718 for 3m 0s (its gateway is no longer")
                .endsWith("...");
    }
}
