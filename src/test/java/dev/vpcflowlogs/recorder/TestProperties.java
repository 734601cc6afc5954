package dev.vpcflowlogs.recorder;

import dev.vpcflowlogs.recorder.config.AlarmSettings;
import dev.vpcflowlogs.recorder.config.FlowLogFormat;
import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.util.unit.DataSize;

/** Recorder properties for tests that build components by hand. */
public final class TestProperties {

    public static final String GATEWAY = "nat-0a1b2c3d4e5f60718";
    public static final String ROLE = "arn:aws:iam::123456789012:role/vpc-flowlogs-recorder-delivery";

    private TestProperties() {}

    public static RecorderProperties withFormat(String logFormat) {
        return with(logFormat, 4);
    }

    /** The defaults, reading CloudWatch Logs at most this many calls a second. */
    public static RecorderProperties withReportReads(int reads) {
        return with(FlowLogFormat.ORIGINAL_FORMAT, reads);
    }

    /** A format with version 11 tag fields, and the tag keys they show by resource type. */
    public static RecorderProperties withTagFields(String logFormat, java.util.Map<String, List<String>> tagFields) {
        return with(logFormat, 4, tagFields);
    }

    private static RecorderProperties with(String logFormat, int reads) {
        return with(logFormat, reads, null);
    }

    private static RecorderProperties with(String logFormat, int reads, java.util.Map<String, List<String>> tagFields) {
        return new RecorderProperties(
                "vpc-flowlogs-recorder-events",
                List.of(RecorderProperties.NatGateway.of(GATEWAY)),
                alarms(),
                new RecorderProperties.Discovery(null, Duration.ofMinutes(5)),
                new RecorderProperties.Recording(
                        Duration.ofMinutes(15),
                        Duration.ofMinutes(2),
                        0,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30),
                        false,
                        Duration.ofMillis(20),
                        Duration.ofMillis(50)),
                new RecorderProperties.FlowLogs(
                        "/vpc-flowlogs-recorder/recordings",
                        7,
                        ROLE,
                        logFormat,
                        Duration.ofSeconds(60),
                        null,
                        tagFields),
                new RecorderProperties.Notifications(null),
                new RecorderProperties.Intake(10, Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofSeconds(10)),
                new RecorderProperties.Report(
                        true,
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(2),
                        10,
                        50_000,
                        reads,
                        20,
                        4,
                        null,
                        null,
                        null),
                new RecorderProperties.Reconciler(Duration.ofMinutes(5)),
                new RecorderProperties.Aws(
                        5,
                        new RecorderProperties.Ec2Limits(true, 50, 5, 100, 20),
                        new RecorderProperties.CloudWatchLimits(3, 9)),
                List.of(),
                RecorderProperties.DEFAULT_MEMBER_ROLE,
                List.of(),
                new RecorderProperties.Console(List.of(), true),
                new RecorderProperties.Preflight(Duration.ofSeconds(10)));
    }

    /** The documented defaults of {@code recorder.alarms}. */
    public static RecorderProperties.Alarms alarms() {
        return new RecorderProperties.Alarms(
                true,
                "vpc-flowlogs-recorder-",
                AlarmSettings.AlarmMode.STATIC,
                Duration.ofSeconds(60),
                3,
                1,
                DataSize.ofMegabytes(100),
                List.of("BytesInFromSource", "BytesInFromDestination"),
                2,
                Duration.ofMinutes(5),
                Duration.ofSeconds(30));
    }

    /** The recorder's own account in the tests' region. */
    public static final Place HOME = Place.home("us-east-1");

    /** The one place of the default properties. */
    public static Places places() {
        return new Places(defaults(), HOME.region());
    }

    public static RecorderProperties defaults() {
        return withFormat(FlowLogFormat.ORIGINAL_FORMAT);
    }
}
