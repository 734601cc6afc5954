package dev.vpcflowlogs.recorder.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.report.LogGroupVolume.Volume;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** Which engine reads a recording, decided from what AWS says of its log group before anything is read. */
class RecordReaderTest {

    final RecordReader reader = new RecordReader(
            (place, group, streams, from, to, consumer) -> {
                throw new AssertionError("not read here");
            },
            (place, group, queries, from, to, deadline) -> {
                throw new AssertionError("not queried here");
            },
            (place, group, from, to) -> {
                throw new AssertionError("not asked here");
            },
            TestProperties.defaults(),
            TestProperties.places(),
            new ThreadPoolTaskExecutor(),
            Clock.systemUTC(),
            new SimpleMeterRegistry());

    @Test
    void aQuietGroupIsStreamedToTheEnd() {
        RecordReader.Choice choice = reader.choose(new Volume(Volume.STANDARD, 800_000L, 80_000_000L), null);

        assertThat(choice.insights()).isFalse();
        assertThat(choice.probe()).isFalse();
    }

    @Test
    void aBusyGroupIsStreamedUntilTheRecordingsOwnRecordsShowItIsBig() {
        RecordReader.Choice choice = reader.choose(new Volume(Volume.STANDARD, 5_000_000L, 500_000_000L), null);

        assertThat(choice.insights()).isFalse();
        assertThat(choice.probe()).isTrue();
    }

    @Test
    void aGroupWithoutADataPointYetIsStreamedWithTheProbeNotTrustedAsSmall() {
        RecordReader.Choice choice = reader.choose(new Volume(Volume.STANDARD, null, null), null);

        assertThat(choice.probe()).isTrue();
        assertThat(choice.why()).contains("no data point");
    }

    @Test
    void anInfrequentAccessGroupIsReadByInsightsOnly() {
        RecordReader.Choice choice = reader.choose(new Volume(Volume.INFREQUENT_ACCESS, 10L, 1_000L), null);

        assertThat(choice.insights()).isTrue();
    }
}
