package dev.vpcflowlogs.recorder.intake;

import java.time.Duration;

/**
 * How long the store may be unreachable before a valid event is dead-lettered. A message that fails is made
 * invisible for {@code min(first × 2^(k-1), max)} after its k-th receive (the intake's exponential backoff), and SQS
 * moves it to the dead-letter queue instead of a receive past {@code maxReceiveCount} (SQS developer guide, "Using
 * dead-letter queues"). Its last receive comes {@code first + 2·first + ... } after the first, capped at {@code max}
 * each: an outage that ends before then loses nothing.
 *
 * @param maxReceiveCount the queue's redrive policy
 * @param firstRetryDelay {@code recorder.intake.first-retry-delay}
 * @param maxRetryDelay {@code recorder.intake.max-retry-delay}
 */
public record OutageTolerance(int maxReceiveCount, Duration firstRetryDelay, Duration maxRetryDelay) {

    /** What an outage of the store or of AWS should be survived for, at the least. */
    static final Duration RECOMMENDED = Duration.ofMinutes(15);

    /** The time from a message's first receive to its last: outages shorter than this never dead-letter it. */
    public Duration survives() {
        long total = 0;
        long delay = firstRetryDelay.toSeconds();
        for (int receive = 1; receive < maxReceiveCount; receive++) {
            total += Math.min(delay, maxRetryDelay.toSeconds());
            delay = Math.min(delay * 2, maxRetryDelay.toSeconds());
        }
        return Duration.ofSeconds(total);
    }

    /** The least {@code maxReceiveCount} with which outages of {@code length} are survived. */
    int receivesFor(Duration length) {
        int receives = 1;
        while (new OutageTolerance(receives, firstRetryDelay, maxRetryDelay)
                        .survives()
                        .compareTo(length)
                < 0) {
            receives++;
        }
        return receives;
    }

    /** Like "1h 53m 30s". */
    static String words(Duration d) {
        long h = d.toHours();
        int m = d.toMinutesPart();
        int s = d.toSecondsPart();
        return (h > 0 ? h + "h " : "") + (h > 0 || m > 0 ? m + "m " : "") + s + "s";
    }
}
