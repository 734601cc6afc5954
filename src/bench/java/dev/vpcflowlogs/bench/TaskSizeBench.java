package dev.vpcflowlogs.bench;

import dev.vpcflowlogs.packaging.ContainerImage;
import dev.vpcflowlogs.recorder.e2e.Events;
import dev.vpcflowlogs.recorder.e2e.Gateways;
import dev.vpcflowlogs.recorder.e2e.LocalSqs;
import dev.vpcflowlogs.recorder.e2e.RecorderHarness;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * The recorder at the size we ship (issue 29's measure): the image's {@code /app} under the ECS task's and the chart's
 * limits, a quarter of a vCPU and 512 MiB, beside a whole vCPU; H2 in a file, as a single replica runs by default. For
 * each: until ready and the CPU spent to get there, the first spike after readiness until its CreateFlowLogs, resident
 * memory idle once the start-up work is done, and after every gateway alarms at once.
 *
 * <p>What is measured is a restart (a deploy, a drained node, a crash): a run before it, unlimited, made the thousand
 * alarms and left its store, and the measured run finds them. With {@code -Dbench.task.alarms=missing} it is the
 * recorder's first start in the account instead: its alarms are made during the measurement, at CloudWatch's 3 a
 * second, and idle comes five and a half minutes later.
 */
final class TaskSizeBench {

    static final int MEMORY_MIB = 512;
    static final Duration FIRST_SPIKE_CAP = Duration.ofMinutes(5);

    record Result(
            String size,
            Duration ready,
            Duration cpuToReady,
            java.util.Map<String, Double> account,
            @org.jspecify.annotations.Nullable Duration firstSpike,
            RecorderProcess.Memory idle,
            Duration burstAllRecording,
            RecorderProcess.Memory afterBurst,
            int failures) {}

    private TaskSizeBench() {}

    static List<Result> run(LocalSqs sqs, ContainerImage image, Path logs, int count, List<Double> cores)
            throws Exception {
        List<Result> results = new ArrayList<>();
        for (double c : cores) {
            results.add(one(sqs, image, logs, count, c));
        }
        return results;
    }

    private static Result one(LocalSqs sqs, ContainerImage image, Path logs, int count, double cores) throws Exception {
        long base = 0x300000;
        List<String> gateways = Gateways.ids(count, base);
        String name = cores == 0.25 ? "quarter" : cores + "-core";
        // A store of its own each run: a file left by an earlier run holds recordings of the same gateways.
        Path store = logs.resolve("task-" + name);
        org.springframework.util.FileSystemUtils.deleteRecursively(store);
        Files.createDirectories(store);
        try (AwsStandIn aws = BenchSettings.alarmsUnthrottled(Gateways.standIn(gateways, base));
                RecorderHarness recorder = new RecorderHarness(sqs, aws);
                TaskLimits limits = TaskLimits.of(cores, MEMORY_MIB)) {
            Gateways.watch(recorder, gateways);
            BenchSettings.apply(recorder)
                    .without("server.port")
                    .without("spring.flyway.schemas")
                    .without("spring.flyway.create-schemas")
                    // The product's default URL, in a directory of its own.
                    .with(
                            "spring.datasource.url",
                            "jdbc:h2:file:" + store.toAbsolutePath() + "/recorder;DB_CLOSE_ON_EXIT=FALSE")
                    .with("spring.datasource.username", "sa")
                    .with("spring.datasource.password", "");
            boolean restart = !"missing".equals(System.getProperty("bench.task.alarms"));
            if (restart) {
                try (RecorderProcess before = RecorderProcess.start(
                        image, recorder.arguments(), logs.resolve("task-" + name + "-run-before.log"))) {
                    before.awaitReady(Duration.ofMinutes(2));
                    BurstBench.awaitStartUpWork(before, count);
                }
            }
            // As shipped from here on: CloudWatch's quotas, and the recorder's default pace under them.
            aws.cloudWatchQuotas(true);
            recorder.without("recorder.aws.cloudwatch.put-metric-alarm-per-second");
            RecorderProcess process;
            try (RecorderProcess p = RecorderProcess.startIn(
                    limits, image, recorder.arguments(), logs.resolve("task-" + name + "-recorder.log"))) {
                process = p;
                Duration ready = p.awaitReady(Duration.ofMinutes(3));
                Duration cpu = p.cpuTime();
                java.util.Map<String, Double> account = p.timeAccount();
                // The first spike, at once: its code runs for the first time, beside the start-up work. With
                // -Dbench.task.first-spike=idle once that work is done instead, as most first spikes after a restart.
                boolean atReadiness = !"idle".equals(System.getProperty("bench.task.first-spike"));
                if (!atReadiness) {
                    awaitWork(p, restart, count);
                }
                String first = gateways.get(0);
                String eni = Gateways.interfaces(0, base).get(0);
                Instant sent = Instant.now();
                recorder.send(Events.alarm(first, sent));
                // Reported, not failed, when it takes longer than the cap: that is the finding.
                Duration firstSpike;
                try {
                    Awaitility.await("the first spike's CreateFlowLogs, " + limits)
                            .atMost(FIRST_SPIKE_CAP)
                            .pollInterval(Duration.ofMillis(10))
                            .until(() -> createdOn(aws, eni) != null);
                    firstSpike = Duration.between(sent, createdOn(aws, eni));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    firstSpike = null;
                }
                writeCallsAround(aws, sent, logs.resolve("task-" + name + "-first-spike-calls.txt"));
                awaitWork(p, restart, count);
                RecorderProcess.Memory idle = p.memory();
                p.dumpMemory(logs, "task-" + name + "-idle");
                Instant t0 = Instant.now();
                BurstBench.send(recorder, gateways.subList(1, count), g -> Events.alarm(g, t0));
                Awaitility.await("every gateway recording, " + limits)
                        .atMost(Duration.ofMinutes(20))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> BurstBench.recording(aws) >= 2L * count
                                || process.metric("recorder_recordings_total", "result=\"failed\"") > 0);
                Instant last = aws.flowLogsEverCreated().stream()
                        .map(AwsStandIn.FlowLog::createdAt)
                        .max(Instant::compareTo)
                        .orElse(t0);
                int failures = (int) (2L * count - BurstBench.recording(aws)) / 2
                        + (int) p.metric("recorder_recordings_total", "result=\"failed\"");
                return new Result(
                        limits.toString(),
                        ready,
                        cpu,
                        account,
                        firstSpike,
                        idle,
                        Duration.between(t0, last),
                        p.memory(),
                        failures);
            }
        }
    }

    /**
     * The start-up work: a restart's preflight and one pass over the alarms the run before made; or a first start's
     * preflight and every alarm made, at CloudWatch's pace.
     */
    private static void awaitWork(RecorderProcess process, boolean restart, int count) {
        if (restart) {
            Awaitility.await("the restart's work: the preflight, a pass over the alarms")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> process.metric("recorder_alarms_runs_total", "result=\"succeeded\"") > 0
                            && process.metric("recorder_preflight_checks_total") > 0);
        } else {
            Awaitility.await("the first start's alarms, at CloudWatch's pace")
                    .atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> process.metric("recorder_alarms_actions_total", "action=\"created\"") == count
                            && process.metric("recorder_preflight_checks_total") > 0);
        }
    }

    /**
     * What the recorder asked AWS for from five seconds before the first spike was sent until two after: what shared
     * the quota with it. A line per call: milliseconds from the spike's message, the action, and whose it was.
     */
    private static void writeCallsAround(AwsStandIn aws, Instant sent, Path file) throws java.io.IOException {
        StringBuilder lines = new StringBuilder();
        for (AwsStandIn.Call call : aws.calls()) {
            long ms = Duration.between(sent, call.at()).toMillis();
            if (ms >= -5_000 && ms <= 2_000) {
                lines.append(String.format(
                        java.util.Locale.ROOT,
                        "%+6d ms %s%s%s%n",
                        ms,
                        call.action(),
                        call.dryRun() ? " (dry run)" : "",
                        call.preflight() ? " (preflight)" : ""));
            }
        }
        Files.writeString(file, lines);
    }

    /** The first spike's reaction, or how long it was not there by. */
    static String firstSpike(Result r) {
        return r.firstSpike() == null
                ? "over " + FIRST_SPIKE_CAP.toMinutes() + " min"
                : String.format(java.util.Locale.ROOT, "%d ms", r.firstSpike().toMillis());
    }

    /** When the stand-in received the CreateFlowLogs that named this interface, if it did. */
    private static Instant createdOn(AwsStandIn aws, String eni) {
        return aws.calls("CreateFlowLogs").stream()
                .filter(c -> c.params().containsValue(eni) && !c.dryRun())
                .map(AwsStandIn.Call::at)
                .findFirst()
                .orElse(null);
    }
}
