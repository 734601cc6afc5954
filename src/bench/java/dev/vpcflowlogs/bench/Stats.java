package dev.vpcflowlogs.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of measured durations (nearest rank). */
record Stats(int count, Duration p50, Duration p99, Duration max) {

    static Stats of(List<Duration> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Duration> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        return new Stats(sorted.size(), rank(sorted, 0.50), rank(sorted, 0.99), sorted.get(sorted.size() - 1));
    }

    private static Duration rank(List<Duration> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

    static String ms(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }
}
