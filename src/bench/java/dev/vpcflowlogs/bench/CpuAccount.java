package dev.vpcflowlogs.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went while the recorder handled a burst: the machine's cores split between the recorder, the
 * benchmark's JVM (ElasticMQ, the AWS stand-in, the senders) and the rest (PostgreSQL), from {@code /proc}; and the
 * recorder's own share by what its threads do and by the code that ran, from the JVM's CPU-time samples (JFR's
 * {@code jdk.CPUTimeSample}, one each 10 ms of a thread's CPU, with its stack).
 */
final class CpuAccount {

    /** CPU seconds of one part. */
    record Share(String what, double seconds) {}

    record Result(
            Duration wall,
            int cores,
            double machineBusy,
            double recorder,
            double benchmark,
            double sampled,
            List<Share> byThreads,
            List<Share> byCode) {

        double rest() {
            return Math.max(0, machineBusy - recorder - benchmark);
        }
    }

    /** What the recorder's threads do, by the prefix of their names. */
    private static final Map<String, Predicate<String>> THREADS = new LinkedHashMap<>();

    static {
        THREADS.put("handling alarms (the queue listener's threads)", n -> n.startsWith("alarm-events-"));
        THREADS.put("storing the starts' answers", n -> n.startsWith("start-answers-"));
        THREADS.put(
                "shared starts (DescribeNatGateways, write-ahead, CreateFlowLogs, DescribeFlowLogs)",
                n -> n.startsWith("start-flow-logs-batcher"));
        THREADS.put(
                "the SQS client (receives, acknowledgements)",
                n -> n.startsWith("aws-java-sdk-NettyEventLoop")
                        || n.startsWith("sdk-async-response")
                        || n.startsWith("alarm-events#"));
        THREADS.put("notifications (SNS Publish, one per recording started)", n -> n.startsWith("notify-"));
        THREADS.put("owner snapshots", n -> n.startsWith("owner-snapshots"));
        THREADS.put("HTTP (the benchmark's metric scrapes)", n -> n.startsWith("http-nio"));
    }

    /** The code that ran: the innermost frame outside the JDK, by its package. */
    private static final Map<String, List<String>> CODE = new LinkedHashMap<>();

    static {
        CODE.put("PostgreSQL driver (statements, socket writes)", List.of("org.postgresql."));
        CODE.put("connection pool (HikariCP)", List.of("com.zaxxer."));
        CODE.put(
                "AWS SDK and its HTTP clients (EC2, SQS: requests, XML and JSON)",
                List.of("software.amazon.", "io.netty.", "org.apache.http."));
        CODE.put("Spring Cloud AWS SQS listener", List.of("io.awspring."));
        CODE.put("Jackson (events, stored JSON)", List.of("tools.jackson.", "com.fasterxml."));
        CODE.put("metrics (Micrometer, Prometheus)", List.of("io.micrometer.", "io.prometheus."));
        CODE.put("logging", List.of("ch.qos.", "org.slf4j.", "org.apache.logging."));
        CODE.put("Spring (transactions, JDBC, proxies, events)", List.of("org.springframework."));
        CODE.put("the recorder's own code", List.of("dev.vpcflowlogs."));
    }

    private CpuAccount() {}

    /** CPU counters at one moment: this machine's busy time, the recorder's, the benchmark JVM's. */
    record Counters(Instant at, double machineBusy, double recorder, double benchmark) {

        static Counters now(RecorderProcess recorder) throws IOException {
            String[] cpu =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(cpu[i]);
                }
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new Counters(
                    Instant.now(),
                    busy / 100.0, // USER_HZ
                    recorder.cpuTime().toMillis() / 1000.0,
                    os.getProcessCpuTime() / 1e9);
        }
    }

    static Result of(Counters from, Counters to, Path profile) throws IOException {
        Map<String, Double> threads = new LinkedHashMap<>();
        Map<String, Double> code = new LinkedHashMap<>();
        THREADS.keySet().forEach(k -> threads.put(k, 0.0));
        CODE.keySet().forEach(k -> code.put(k, 0.0));
        double sampled = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(profile)) {
            if (!e.getEventType().getName().equals("jdk.CPUTimeSample")
                    || e.getStartTime().isBefore(from.at())
                    || e.getStartTime().isAfter(to.at())) {
                continue;
            }
            double seconds = e.getDuration("samplingPeriod").toNanos() / 1e9;
            sampled += seconds;
            String name = e.getThread() == null || e.getThread().getJavaName() == null
                    ? ""
                    : e.getThread().getJavaName();
            String group = THREADS.entrySet().stream()
                    .filter(t -> t.getValue().test(name))
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse("other");
            threads.merge(group, seconds, Double::sum);
            code.merge(codeOf(e), seconds, Double::sum);
        }
        if (sampled == 0) {
            throw new IllegalStateException("the JVM's CPU-time sampler recorded nothing in " + profile);
        }
        return new Result(
                Duration.between(from.at(), to.at()),
                Runtime.getRuntime().availableProcessors(),
                to.machineBusy() - from.machineBusy(),
                to.recorder() - from.recorder(),
                to.benchmark() - from.benchmark(),
                sampled,
                sorted(threads),
                sorted(code));
    }

    private static String codeOf(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return "the JDK";
        }
        for (RecordedFrame frame : e.getStackTrace().getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
                continue;
            }
            for (Map.Entry<String, List<String>> c : CODE.entrySet()) {
                if (c.getValue().stream().anyMatch(type::startsWith)) {
                    return c.getKey();
                }
            }
            return "other libraries";
        }
        return "the JDK";
    }

    private static List<Share> sorted(Map<String, Double> seconds) {
        List<Share> shares = new ArrayList<>();
        seconds.forEach((what, s) -> {
            if (s > 0) {
                shares.add(new Share(what, s));
            }
        });
        shares.sort((a, b) -> Double.compare(b.seconds(), a.seconds()));
        return shares;
    }
}
