package dev.vpcflowlogs.recorder.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.util.unit.DataSize;

/**
 * The settings of one gateway's managed alarm: {@code recorder.alarms.*}, overridden by the gateway's own entry.
 *
 * @param mode {@code static}: alarm when any metric's Sum in a period exceeds the threshold (the original's metric
 *     math); {@code anomaly}: alarm when the metrics' total rises above CloudWatch's anomaly detection band
 * @param threshold bytes (or packets, for Packets* metrics) per period, for {@code static}
 * @param bandWidth the band's width in standard deviations, for {@code anomaly}
 */
public record AlarmSettings(
        AlarmMode mode,
        Duration period,
        int evaluationPeriods,
        int datapointsToAlarm,
        DataSize threshold,
        List<String> metrics,
        double bandWidth) {

    /** The {@code AWS/NATGateway} metrics that are summed per period (aws-facts, section 3). */
    public static final Set<String> SUMMED_METRICS = Set.of(
            "BytesInFromSource",
            "BytesInFromDestination",
            "BytesOutToSource",
            "BytesOutToDestination",
            "PacketsInFromSource",
            "PacketsInFromDestination",
            "PacketsOutToSource",
            "PacketsOutToDestination",
            "PacketsDropCount",
            "ConnectionAttemptCount",
            "ConnectionEstablishedCount",
            "ErrorPortAllocation",
            "IdleTimeoutCount");

    /** Metric math and anomaly detection take at most this many metrics in one alarm here. */
    static final int MAX_METRICS = 10;

    /** CloudWatch's limit on evaluation periods times period for alarms of a minute or more. */
    static final Duration MAX_EVALUATION_RANGE = Duration.ofDays(1);

    public enum AlarmMode {
        STATIC,
        ANOMALY
    }

    public AlarmSettings {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }

    /**
     * @throws IllegalArgumentException naming the property (under {@code prefix}) when CloudWatch would refuse it
     */
    AlarmSettings validated(String prefix) {
        require(mode != null, prefix + "mode must be static or anomaly");
        require(
                period != null
                        && period.compareTo(Duration.ofMinutes(1)) >= 0
                        && period.toSeconds() % 60 == 0
                        && period.toNanosPart() == 0,
                prefix + "period must be a whole number of minutes (NAT gateway metrics are per minute), not "
                        + period);
        require(evaluationPeriods >= 1, prefix + "evaluation-periods must be at least 1, not " + evaluationPeriods);
        require(
                datapointsToAlarm >= 1 && datapointsToAlarm <= evaluationPeriods,
                prefix + "datapoints-to-alarm must be between 1 and evaluation-periods (" + evaluationPeriods
                        + "), not " + datapointsToAlarm);
        require(
                period.multipliedBy(evaluationPeriods).compareTo(MAX_EVALUATION_RANGE) <= 0,
                prefix + "period times evaluation-periods must be at most one day (CloudWatch's limit), not "
                        + period.multipliedBy(evaluationPeriods));
        require(
                !metrics.isEmpty() && metrics.size() <= MAX_METRICS,
                prefix + "metrics must name 1 to " + MAX_METRICS + " metrics, not " + metrics.size());
        for (String metric : metrics) {
            require(
                    SUMMED_METRICS.contains(metric),
                    prefix + "metrics: '" + metric + "' is not an AWS/NATGateway metric summed per period; one of "
                            + SUMMED_METRICS.stream().sorted().toList());
        }
        require(new HashSet<>(metrics).size() == metrics.size(), prefix + "metrics names a metric twice");
        if (mode == AlarmMode.STATIC) {
            require(
                    threshold != null && threshold.toBytes() > 0,
                    prefix + "threshold must be more than 0 bytes, not " + threshold);
        } else {
            require(
                    bandWidth > 0 && bandWidth <= 100,
                    prefix + "band-width must be more than 0 and at most 100 standard deviations, not " + bandWidth);
        }
        return this;
    }

    public String describe() {
        return mode == AlarmMode.STATIC
                ? "any of " + metrics + " above " + threshold.toBytes() + " per " + period
                : "the total of " + metrics + " above its anomaly band (width " + bandWidth + ") per " + period;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
