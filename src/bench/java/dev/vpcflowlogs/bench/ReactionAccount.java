package dev.vpcflowlogs.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time of a start goes (part 1): its two stages as the stand-in saw them, and what the JVM recorded of the
 * threads that carried it (JFR, in the benchmark's JVM, which runs the recorder): the collector's pauses, and every
 * wait on a socket, a lock or a park, by the code that waited. What no event covers is time
 * the threads ran, or waited for a core.
 */
final class ReactionAccount {

    static final String PAUSES = "collector pauses (the whole JVM)";
    static final String POSTGRES = "PostgreSQL (statements, locks, commits)";
    static final String POOL = "a pooled connection";
    static final String EC2 = "EC2's answers (the stand-in)";
    static final String BATCHER = "the start batcher (company, EC2 token)";
    static final String OTHER = "other waits";

    /** Every wait is recorded, however short: a PostgreSQL round trip takes well under a millisecond. */
    static final Duration THRESHOLD = Duration.ZERO;

    /**
     * One start: when the listener received its ALARM and on which thread, when its DescribeNatGateways and its
     * CreateFlowLogs reached the stand-in.
     */
    record Start(String gateway, String thread, Instant received, Instant described, Instant created) {

        Duration total() {
            return Duration.between(received, created);
        }

        /** Handling the alarm (decision stored) and handing the start to the batcher, until its look-up is sent. */
        Duration deciding() {
            return Duration.between(received, described);
        }

        /** The look-up's answer, the call written down, until CreateFlowLogs is sent. */
        Duration sending() {
            return Duration.between(described, created);
        }
    }

    /** One start's time by what its threads waited on; what is left is running, or waiting for a core. */
    record Split(
            Start start,
            Map<String, Duration> waits,
            String longestWait,
            int roundTrips,
            int classesLoaded,
            int compiled) {

        Duration waited() {
            return waits.values().stream().reduce(Duration.ZERO, Duration::plus);
        }

        Duration running() {
            Duration rest = start.total().minus(waited());
            return rest.isNegative() ? Duration.ZERO : rest;
        }
    }

    /** All starts, and the slowest of them, each with its split. */
    record Result(List<Split> all, List<Split> slowest) {

        static List<String> kinds() {
            return List.of(PAUSES, POSTGRES, POOL, EC2, BATCHER, OTHER);
        }
    }

    private ReactionAccount() {}

    /** Starts recording what the JVM's threads wait on. */
    static Recording record() {
        Recording recording = new Recording();
        recording.setName("reaction");
        recording.enable("jdk.GCPhasePause").withThreshold(Duration.ZERO);
        recording.enable("jdk.ClassLoad").withThreshold(Duration.ZERO);
        recording.enable("jdk.Compilation").withThreshold(Duration.ZERO);
        for (String event : List.of(
                "jdk.SocketRead", "jdk.SocketWrite", "jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait")) {
            recording.enable(event).withThreshold(THRESHOLD).withStackTrace();
        }
        recording.setToDisk(true);
        recording.start();
        return recording;
    }

    /** The split of every start, and of its slowest {@code share} (at least one). */
    static Result of(List<Start> starts, Recording recording, Path file, double share) throws IOException {
        recording.stop();
        recording.dump(file);
        recording.close();
        List<RecordedEvent> pauses = new ArrayList<>();
        List<RecordedEvent> compilations = new ArrayList<>();
        List<RecordedEvent> waits = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getEventType().getName().equals("jdk.GCPhasePause")) {
                pauses.add(e);
            } else if (e.getEventType().getName().equals("jdk.Compilation")) {
                compilations.add(e);
            } else if (e.getThread() != null && e.getThread().getJavaName() != null) {
                waits.add(e);
            }
        }
        List<Split> all = new ArrayList<>();
        for (Start s : starts) {
            all.add(split(s, pauses, compilations, waits));
        }
        List<Split> slowest = new ArrayList<>(all);
        slowest.sort(Comparator.comparing((Split x) -> x.start().total()).reversed());
        return new Result(all, slowest.subList(0, Math.max(1, (int) Math.ceil(share * all.size()))));
    }

    private static Split split(
            Start s, List<RecordedEvent> pauses, List<RecordedEvent> compilations, List<RecordedEvent> waits) {
        Map<String, Duration> by = new LinkedHashMap<>();
        Result.kinds().forEach(k -> by.put(k, Duration.ZERO));
        for (RecordedEvent p : pauses) {
            Instant from = max(p.getStartTime(), s.received());
            Instant to = min(p.getEndTime(), s.created());
            if (from.isBefore(to)) {
                by.merge(PAUSES, Duration.between(from, to), Duration::plus);
            }
        }
        int compiled = (int) compilations.stream()
                .filter(c -> !c.getEndTime().isBefore(s.received())
                        && !c.getEndTime().isAfter(s.created()))
                .count();
        int roundTrips = 0;
        int classesLoaded = 0;
        Duration longest = Duration.ZERO;
        String longestWait = "";
        for (RecordedEvent w : waits) {
            String thread = w.getThread().getJavaName();
            // The listener's thread carries the start until it is handed to the batcher; the batcher's, after that.
            Instant until = thread.equals(s.thread())
                    ? s.described()
                    : thread.startsWith("start-flow-logs-batcher") ? s.created() : null;
            if (until == null
                    || w.getStartTime().isBefore(s.received())
                    || w.getEndTime().isAfter(until)) {
                continue;
            }
            if (w.getEventType().getName().equals("jdk.ClassLoad")) {
                classesLoaded++;
                continue;
            }
            String frame = frameOf(w);
            if (w.getEventType().getName().equals("jdk.SocketWrite") && frame.startsWith("org.postgresql.")) {
                roundTrips++;
            }
            String kind = kindOf(w.getEventType().getName(), frame);
            by.merge(kind, w.getDuration(), Duration::plus);
            if (w.getDuration().compareTo(longest) > 0) {
                longest = w.getDuration();
                longestWait = String.format(
                        java.util.Locale.ROOT,
                        "%s %.1f ms in %s (%s)",
                        w.getEventType().getLabel(),
                        w.getDuration().toNanos() / 1e6,
                        frame,
                        thread);
            }
        }
        return new Split(s, by, longestWait, roundTrips, classesLoaded, compiled);
    }

    private static String kindOf(String event, String frame) {
        if (frame.startsWith("org.postgresql.")) {
            return POSTGRES;
        }
        if (frame.startsWith("com.zaxxer.")) {
            return POOL;
        }
        if (event.startsWith("jdk.Socket")
                && (frame.startsWith("software.amazon.") || frame.startsWith("org.apache.h"))) {
            return EC2;
        }
        if (frame.startsWith("dev.vpcflowlogs.recorder.system.Batcher")) {
            return BATCHER;
        }
        return OTHER;
    }

    /** The innermost frame outside the JDK: the code that waited. */
    private static String frameOf(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return "?";
        }
        for (RecordedFrame frame : e.getStackTrace().getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return type + "." + frame.getMethod().getName();
            }
        }
        return "the JDK";
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** The mean of each part over these starts, in milliseconds. */
    static Map<String, Double> meanMillis(List<Split> splits) {
        Map<String, Double> mean = new LinkedHashMap<>();
        double n = splits.size();
        mean.put(
                "total",
                splits.stream().mapToLong(s -> s.start().total().toNanos()).sum() / n / 1e6);
        mean.put(
                "deciding",
                splits.stream().mapToLong(s -> s.start().deciding().toNanos()).sum() / n / 1e6);
        mean.put(
                "sending",
                splits.stream().mapToLong(s -> s.start().sending().toNanos()).sum() / n / 1e6);
        for (String kind : Result.kinds()) {
            mean.put(
                    kind,
                    splits.stream()
                                    .mapToLong(s -> s.waits().get(kind).toNanos())
                                    .sum()
                            / n
                            / 1e6);
        }
        mean.put(
                "running", splits.stream().mapToLong(s -> s.running().toNanos()).sum() / n / 1e6);
        mean.put("roundTrips", splits.stream().mapToInt(Split::roundTrips).sum() / n);
        mean.put("classesLoaded", splits.stream().mapToInt(Split::classesLoaded).sum() / n);
        mean.put("compiled", splits.stream().mapToInt(Split::compiled).sum() / n);
        return mean;
    }
}
