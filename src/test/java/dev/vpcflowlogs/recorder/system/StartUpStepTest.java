package dev.vpcflowlogs.recorder.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.ManualScheduler;
import dev.vpcflowlogs.recorder.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Status;

/** A start-up step keeps trying with a growing delay, says why in health, and is done before it says so. */
class StartUpStepTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T09:00:00Z"));
    final ManualScheduler scheduler = new ManualScheduler();
    final StartUpStep step = new StartUpStep(
            LoggerFactory.getLogger(StartUpStepTest.class),
            scheduler,
            clock,
            "not tried yet",
            Duration.ofSeconds(4),
            e -> "the thing cannot be reached: " + e.getMessage());

    @Test
    void retriesWithAGrowingDelayAndSaysWhyUntilItSucceeds() {
        List<Boolean> outcomes = new ArrayList<>(List.of(false, false, false, true));
        assertThat(step.health().build().getDetails()).containsEntry("reason", "not tried yet");

        step.tryNow(() -> {
            if (!outcomes.remove(0)) {
                throw new IllegalStateException("refused");
            }
        });

        assertThat(step.done()).isFalse();
        assertThat(step.health().build().getStatus()).isEqualTo(Status.DOWN);
        assertThat(step.problem()).isEqualTo("the thing cannot be reached: refused");
        List<Duration> waits = new ArrayList<>();
        Instant before = clock.instant();
        while (!scheduler.pending().isEmpty()) {
            Instant next = scheduler.pending().get(0).at;
            waits.add(Duration.between(before, next));
            clock.set(next);
            before = next;
            scheduler.runDue(next);
        }
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(step.done()).isTrue();
        assertThat(step.health().build().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void whoeverItTellsAfterwardsFindsItDone() {
        List<Boolean> seen = new ArrayList<>();

        step.tryNow(() -> {}, () -> seen.add(step.done()));

        assertThat(seen).containsExactly(true);
    }
}
