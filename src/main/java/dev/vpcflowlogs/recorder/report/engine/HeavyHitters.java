package dev.vpcflowlogs.recorder.report.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Weighted heavy hitters in bounded memory: a batched Space-Saving summary.
 *
 * <p>Every key is counted exactly while at most {@code capacity} distinct keys have been seen. Past that, when the
 * table holds twice the capacity, the smaller half is evicted, and {@code floor} becomes the largest count ever
 * evicted. A key that enters afterwards starts at {@code floor}. So for every key in the summary, the estimate is
 * never below the true count and at most {@code floor} above it, and every key whose true count exceeds
 * {@code floor} is in the summary.
 */
final class HeavyHitters<K> {

    /**
     * A key's estimate; {@code error} is how much of {@code weight} may be overcounted. {@code part} is the share of
     * {@code weight} added as one part (the bytes a host sent, of all it exchanged), counted exactly since the key
     * entered.
     */
    record Entry<K>(K key, long weight, long secondary, long part, long error) {}

    private static final class Counter {
        long weight;
        long secondary;
        long part;
        final long error;

        Counter(long error) {
            this.weight = error;
            this.error = error;
        }
    }

    private final int capacity;
    private final Map<K, Counter> counters;
    private long floor;
    private long evictions;

    HeavyHitters(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        // Grown as keys come: a small table stays in the CPU's caches.
        this.counters = new HashMap<>();
    }

    /** Adds {@code weight} (bytes) and {@code secondary} (packets) to a key. */
    void add(K key, long weight, long secondary) {
        add(key, weight, secondary, false);
    }

    /** The same, {@code weight} counted also in the key's {@code part} when {@code inPart}. */
    void add(K key, long weight, long secondary, boolean inPart) {
        Counter counter = counters.get(key);
        if (counter == null) {
            if (counters.size() >= 2 * capacity) {
                prune();
            }
            counter = new Counter(floor);
            counters.put(key, counter);
        }
        counter.weight += weight;
        counter.secondary += secondary;
        if (inPart) {
            counter.part += weight;
        }
    }

    private void prune() {
        long[] weights = new long[counters.size()];
        int i = 0;
        for (Counter c : counters.values()) {
            weights[i++] = c.weight;
        }
        Arrays.sort(weights);
        long threshold = weights[weights.length - capacity - 1];
        Iterator<Counter> it = counters.values().iterator();
        while (it.hasNext()) {
            Counter c = it.next();
            if (c.weight <= threshold) {
                floor = Math.max(floor, c.weight);
                it.remove();
                evictions++;
            }
        }
    }

    /** The {@code n} largest estimates, largest first (ties by the keys' text). */
    List<Entry<K>> top(int n) {
        List<Entry<K>> entries = new ArrayList<>(counters.size());
        counters.forEach((key, c) -> entries.add(new Entry<>(key, c.weight, c.secondary, c.part, c.error)));
        entries.sort(
                Comparator.<Entry<K>>comparingLong(Entry::weight).reversed().thenComparing(e -> e.key()
                        .toString()));
        return List.copyOf(entries.subList(0, Math.min(n, entries.size())));
    }

    /** 0 while every count is exact; otherwise the most any estimate can exceed its true count. */
    long errorBound() {
        return floor;
    }

    boolean exact() {
        return evictions == 0;
    }

    int size() {
        return counters.size();
    }
}
