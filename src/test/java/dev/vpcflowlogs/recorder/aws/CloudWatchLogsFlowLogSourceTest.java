package dev.vpcflowlogs.recorder.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.recording.ProviderException;
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
        source.read(GROUP, List.of("eni-a", "eni-b"), FROM, TO, (ts, message) -> read.add(message));

        assertThat(read).hasSize(2_200).allMatch(m -> m.startsWith("a ") || m.startsWith("b "));
        assertThat(aws.calls("FilterLogEvents")).hasSize(3);
    }

    @Test
    void aRefusedReadNamesTheOperationAndTheCode() {
        aws.failNext("FilterLogEvents", 1, 400, "AccessDeniedException");

        assertThatThrownBy(() -> source.read(GROUP, List.of("eni-a"), FROM, TO, (ts, m) -> {}))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("FilterLogEvents failed: AccessDeniedException");
    }
}
