package dev.vpcflowlogs.recorder.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.recording.ProviderException;
import dev.vpcflowlogs.recorder.report.FlowLogSource;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** Reading a recording's records over the real CloudWatch Logs JSON protocol, from the stand-in. */
class CloudWatchLogsFlowLogSourceTest {

    static final String GROUP = "/vpc-flowlogs-recorder/recordings";
    static final Instant FROM = Instant.parse("2026-11-20T09:00:00Z");
    static final Instant TO = Instant.parse("2026-11-20T09:20:00Z");

    AwsStandIn aws;
    CloudWatchLogsClient logs;
    CloudWatchLogsFlowLogSource source;

    @BeforeEach
    void setUp() {
        aws = AwsStandIn.start();
        logs = CloudWatchLogsClient.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .build();
        source = new CloudWatchLogsFlowLogSource(
                logs, new AwsErrors(new SimpleMeterRegistry()), TestProperties.defaults());
    }

    @AfterEach
    void tearDown() {
        logs.close();
        aws.close();
    }

    List<String> lines(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + " " + i).toList();
    }

    @Test
    void readsEveryPageOfTheRecordedInterfacesWithinTheWindowOnly() {
        long inside = FROM.plusSeconds(60).toEpochMilli();
        aws.flowLogRecords(GROUP, "eni-a", inside, lines("a", 1_500));
        aws.flowLogRecords(GROUP, "eni-b", inside, lines("b", 700));
        aws.flowLogRecords(GROUP, "eni-other", inside, lines("other", 10));
        aws.flowLogRecords(GROUP, "eni-a", FROM.minusSeconds(1).toEpochMilli(), lines("early", 10));
        aws.flowLogRecords(GROUP, "eni-a", TO.plusSeconds(1).toEpochMilli(), lines("late", 10));

        List<String> read = new ArrayList<>();
        FlowLogSource.Delivery delivery =
                source.read(GROUP, List.of("eni-a", "eni-b"), FROM, TO, (ts, message) -> read.add(message));

        assertThat(read).hasSize(2_200).allMatch(m -> m.startsWith("a ") || m.startsWith("b "));
        assertThat(delivery.byPrefix())
                .containsEntry("eni-a", new FlowLogSource.Delivered(List.of("eni-a-all"), 1_500))
                .containsEntry("eni-b", new FlowLogSource.Delivered(List.of("eni-b-all"), 700));
        assertThat(delivery.silent()).isEmpty();
        // The stand-in answers partly full and empty pages, as FilterLogEvents may: only the token ends it.
        assertThat(aws.calls("FilterLogEvents").size()).isGreaterThan(3);
    }

    @Test
    void anInterfaceWithoutAStreamYetIsNoErrorAndIsToldApartFromOneWithoutRecords() {
        long inside = FROM.plusSeconds(60).toEpochMilli();
        aws.flowLogRecords(GROUP, "eni-a", inside, lines("a", 3));
        aws.flowLogRecords(GROUP, "eni-c", TO.plusSeconds(600).toEpochMilli(), lines("c", 3));

        List<String> read = new ArrayList<>();
        FlowLogSource.Delivery delivery =
                source.read(GROUP, List.of("eni-a", "eni-b", "eni-c"), FROM, TO, (ts, message) -> read.add(message));

        assertThat(read).hasSize(3);
        assertThat(delivery.silent()).containsExactly("eni-b", "eni-c");
        assertThat(delivery.byPrefix().get("eni-b").streams())
                .as("no stream yet")
                .isEmpty();
        assertThat(delivery.byPrefix().get("eni-c").streams()).containsExactly("eni-c-all");
        assertThat(aws.calls("FilterLogEvents"))
                .allSatisfy(call -> assertThat(call.params().toString()).doesNotContain("eni-b"));
    }

    @Test
    void namesAtMostAHundredStreamsACall() {
        long inside = FROM.plusSeconds(60).toEpochMilli();
        List<String> interfaces = IntStream.range(0, 150)
                .mapToObj(i -> String.format("eni-%017d", i))
                .toList();
        interfaces.forEach(eni -> aws.flowLogRecords(GROUP, eni, inside, lines(eni, 1)));

        List<String> read = new ArrayList<>();
        source.read(GROUP, interfaces, FROM, TO, (ts, message) -> read.add(message));

        assertThat(read).hasSize(150);
    }

    @Test
    void aRefusedReadNamesTheOperationAndTheCode() {
        aws.flowLogRecords(GROUP, "eni-a", FROM.plusSeconds(60).toEpochMilli(), lines("a", 3));
        aws.failNext("FilterLogEvents", 1, 400, "AccessDeniedException");

        assertThatThrownBy(() -> source.read(GROUP, List.of("eni-a"), FROM, TO, (ts, m) -> {}))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("FilterLogEvents failed: AccessDeniedException");
    }
}
