package dev.vpcflowlogs.recorder.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutageToleranceTest {

    static final Duration FIRST = Duration.ofSeconds(2);
    static final Duration MAX = Duration.ofMinutes(5);

    @Test
    void theOldTemplatesFiveReceivesSurvivedOnlyHalfAMinute() {
        // Receives 2 to 5 come 2, 4, 8 and 16 s after the one before: 30 s in all.
        assertThat(new OutageTolerance(5, FIRST, MAX).survives()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theTemplatesThirtyReceivesSurviveAnOutageOfAlmostTwoHoursWithTheDefaultDelays() {
        // 2+4+...+256 = 510 s over eight retries, then 21 more five minutes apart.
        Duration survives = new OutageTolerance(30, FIRST, MAX).survives();

        assertThat(survives).isEqualTo(Duration.ofSeconds(510 + 21 * 300));
        assertThat(survives).isGreaterThan(OutageTolerance.RECOMMENDED);
        assertThat(OutageTolerance.words(survives)).isEqualTo("1h 53m 30s");
    }

    @Test
    void namesTheLeastReceiveCountForAnOutage() {
        OutageTolerance tolerance = new OutageTolerance(5, FIRST, MAX);

        int receives = tolerance.receivesFor(Duration.ofMinutes(15));

        assertThat(new OutageTolerance(receives, FIRST, MAX).survives()).isGreaterThanOrEqualTo(Duration.ofMinutes(15));
        assertThat(new OutageTolerance(receives - 1, FIRST, MAX).survives()).isLessThan(Duration.ofMinutes(15));
        assertThat(receives).isEqualTo(11);
    }
}
