package dev.vpcflowlogs.recorder.report;

import dev.vpcflowlogs.recorder.report.FlowLogQueries.Answer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The exact top N of one kind of key (conversations, internal hosts, remote hosts) from Logs Insights, whose answers
 * hold at most 10,000 rows. A key's total is what its internal host sent plus what it received: two queries, each
 * sorted by bytes, largest first. When an answer is cut at 10,000 rows, every key it left out weighs at most its last
 * row, so a key's total is known within bounds (the threshold algorithm of Fagin, Lotem and Naor). The top N is exact
 * once no key outside it, seen or unseen, can outweigh the N-th; a part of the key space where that is not yet so is
 * split in smaller parts by the last characters of one of the key's fields ({@link Part}), and asked again. What is
 * still undecided when the queries' budget is spent is reported as not exact, with the most any figure may be off.
 *
 * <p>Not thread-safe: one per report.
 */
final class ExactTop {

    /** A key's fields, and what one side of the NAT gave it. */
    record Row(List<String> key, long bytes, long packets) {}

    /** One field a part of the key space is cut by, and the suffix its values end with (a regular expression). */
    record Cut(int field, String suffix, boolean leaf) {}

    /** A part of the key space: every key whose fields end as its cuts say (none: the whole space). */
    record Part(List<Cut> cuts) {

        static final Part ALL = new Part(List.of());

        /** Digits first (addresses and ports end in them), then what else an address holds; the rest is a leaf. */
        private static final String SPLIT = "0123456789abcdef.:";

        /** The parts this one is split into, by one more character of {@code field}; none when it cannot split. */
        List<Part> split(int field) {
            Cut last = null;
            for (Cut cut : cuts) {
                if (cut.field() == field) {
                    last = cut;
                }
            }
            if (last != null && last.leaf()) {
                return List.of();
            }
            String suffix = last == null ? "" : last.suffix();
            List<Part> parts = new ArrayList<>();
            for (char c : SPLIT.toCharArray()) {
                parts.add(with(new Cut(field, (c == '.' ? "\\." : String.valueOf(c)) + suffix, false)));
            }
            parts.add(with(new Cut(field, "(^|[^0-9a-f.:])" + suffix, true)));
            return parts;
        }

        private Part with(Cut cut) {
            List<Cut> next = new ArrayList<>();
            cuts.stream().filter(c -> c.field() != cut.field()).forEach(next::add);
            next.add(cut);
            return new Part(List.copyOf(next));
        }

        /** How deep this part is cut on {@code field}. */
        int depth(int field) {
            return cuts.stream()
                    .filter(c -> c.field() == field)
                    .mapToInt(c -> c.leaf()
                            ? Integer.MAX_VALUE
                            : c.suffix().replace("\\", "").length())
                    .findFirst()
                    .orElse(0);
        }
    }

    /** A key's total within bounds. */
    record Candidate(List<String> key, long sent, long received, long packets, long upper) {

        long lower() {
            return sent + received;
        }

        String text() {
            return String.join(" ", key);
        }
    }

    /** The answers of one part: what its internal hosts sent, and what they received. */
    record Asked(Part part, Answer sent, Answer received) {}

    private final int top;
    private final List<Integer> splitOrder;
    private final int depthPerField;
    private final Function<Map<String, String>, Row> sentRow;
    private final Function<Map<String, String>, Row> receivedRow;
    /** The answers of every part not split further. */
    private final Map<Part, Asked> answered = new LinkedHashMap<>();
    /** The part each part asked next was split from. */
    private final Map<Part, Part> parents = new HashMap<>();

    /**
     * @param splitOrder the key fields a part is split by, in turn, each to {@code depthPerField} characters
     * @param sentRow reads a row of the query of what internal hosts sent
     * @param receivedRow reads a row of the query of what they received
     */
    ExactTop(
            int top,
            List<Integer> splitOrder,
            int depthPerField,
            Function<Map<String, String>, Row> sentRow,
            Function<Map<String, String>, Row> receivedRow) {
        this.top = top;
        this.splitOrder = List.copyOf(splitOrder);
        this.depthPerField = depthPerField;
        this.sentRow = sentRow;
        this.receivedRow = receivedRow;
    }

    /**
     * Takes one round of answers; the parts still undecided, split, are what to ask next (none: done). A part's
     * answers stay until its smaller parts are answered: when the queries' budget ends the asking, they still count.
     */
    List<Part> take(List<Asked> answers) {
        for (Asked a : answers) {
            Part parent = parents.remove(a.part());
            if (parent != null) {
                answered.remove(parent);
            }
            answered.put(a.part(), a);
        }
        List<Part> next = new ArrayList<>();
        for (Part part : undecided()) {
            for (Part child : splitOf(part)) {
                parents.put(child, part);
                next.add(child);
            }
        }
        return next;
    }

    private List<Part> splitOf(Part part) {
        for (int field : splitOrder) {
            if (part.depth(field) < depthPerField) {
                return part.split(field);
            }
        }
        return List.of();
    }

    /** Every key seen, with its bounds, largest lower bound first (ties by the key's text, as streaming orders them). */
    List<Candidate> candidates() {
        List<Candidate> all = new ArrayList<>();
        for (Asked asked : answered.values()) {
            all.addAll(candidatesOf(asked));
        }
        all.sort(Comparator.comparingLong(Candidate::lower).reversed().thenComparing(Candidate::text));
        return all;
    }

    /** The parts whose figures could still change the top N (or its values). */
    List<Part> undecided() {
        List<Candidate> all = candidates();
        long nth = all.size() >= top ? all.get(top - 1).lower() : 0;
        java.util.Set<List<String>> topKeys = new java.util.HashSet<>();
        all.stream().limit(top).forEach(c -> topKeys.add(c.key()));
        List<Part> undecided = new ArrayList<>();
        for (Asked asked : answered.values()) {
            if (!asked.sent().truncated() && !asked.received().truncated()) {
                continue;
            }
            boolean open = unseenBound(asked) > nth;
            for (Candidate c : candidatesOf(asked)) {
                boolean inTop = topKeys.contains(c.key());
                if ((inTop && c.upper() > c.lower()) || (!inTop && c.upper() > nth)) {
                    open = true;
                }
            }
            if (open) {
                undecided.add(asked.part());
            }
        }
        return undecided;
    }

    /** The most a figure of the top N may be off by: 0 when exact. */
    long errorBound() {
        List<Part> open = undecided();
        long bound = 0;
        for (Part part : open) {
            Asked asked = answered.get(part);
            if (asked != null) {
                bound = Math.max(bound, unseenBound(asked));
            }
        }
        return bound;
    }

    private static long unseenBound(Asked asked) {
        return lastOf(asked.sent()) + lastOf(asked.received());
    }

    private List<Candidate> candidatesOf(Asked asked) {
        Map<List<String>, long[]> sums = new HashMap<>();
        Map<List<String>, boolean[]> seen = new HashMap<>();
        for (Map<String, String> row : asked.sent().rows()) {
            Row r = sentRow.apply(row);
            long[] s = sums.computeIfAbsent(r.key(), k -> new long[3]);
            s[0] += r.bytes();
            s[2] += r.packets();
            seen.computeIfAbsent(r.key(), k -> new boolean[2])[0] = true;
        }
        for (Map<String, String> row : asked.received().rows()) {
            Row r = receivedRow.apply(row);
            long[] s = sums.computeIfAbsent(r.key(), k -> new long[3]);
            s[1] += r.bytes();
            s[2] += r.packets();
            seen.computeIfAbsent(r.key(), k -> new boolean[2])[1] = true;
        }
        long sentLast = lastOf(asked.sent());
        long receivedLast = lastOf(asked.received());
        List<Candidate> candidates = new ArrayList<>(sums.size());
        sums.forEach((key, s) -> {
            boolean[] in = java.util.Objects.requireNonNull(seen.get(key));
            long upper = s[0] + s[1] + (in[0] ? 0 : sentLast) + (in[1] ? 0 : receivedLast);
            candidates.add(new Candidate(key, s[0], s[1], s[2], upper));
        });
        return candidates;
    }

    /** The least a cut answer held (every row it left out weighs at most that); 0 for a whole answer. */
    private static long lastOf(Answer answer) {
        if (!answer.truncated() || answer.rows().isEmpty()) {
            return 0;
        }
        return number(answer.rows().get(answer.rows().size() - 1).get("bytes"));
    }

    /** A Logs Insights number ("123", "1.23E7"), 0 when absent. */
    static long number(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        return new BigDecimal(value.trim()).longValue();
    }
}
