package dev.vpcflowlogs.bench;

import dev.vpcflowlogs.packaging.ContainerImage;
import dev.vpcflowlogs.recorder.e2e.Events;
import dev.vpcflowlogs.recorder.e2e.Gateways;
import dev.vpcflowlogs.recorder.e2e.LocalSqs;
import dev.vpcflowlogs.recorder.e2e.RecorderHarness;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.FlowLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * Parts 2 and 3: every gateway alarms at once against a stand-in that throttles like EC2, with the packaged recorder in
 * its own JVM run as the Dockerfile runs it, once with starts sharing calls (the default) and once with a call per
 * start ({@code start-batch-window: 0}); then its start-up time and memory, idle and after the burst, against the
 * image's flags before Java 25 (class data sharing on the build's Java).
 */
final class BurstBench {

    static final int MUTATING_BUCKET = 50;
    static final int MUTATING_PER_SECOND = 5;
    static final int DESCRIBE_BUCKET = 100;
    static final int DESCRIBE_PER_SECOND = 20;
    /** Threads sending the alarms to the queue. */
    static final int SENDERS = 16;

    /** One burst: how long until every gateway recorded, and what it cost in calls. */
    record Burst(
            String how,
            Duration sending,
            Duration allRecording,
            int describeNatGateways,
            int createFlowLogs,
            int describeFlowLogs,
            int throttled,
            int failures,
            CpuAccount.@Nullable Result cpu) {}

    /**
     * Every gateway's alarm clears at once: from the end of the last tail (the last OK sent, plus the tail) until the
     * last DeleteFlowLogs, and what it cost in calls.
     */
    record StopBurst(
            String how, Duration afterTails, int deleteFlowLogs, int describeFlowLogs, int throttled, int failures) {}

    /** The tail the harness gives every recording. */
    static final Duration TAIL = Duration.ofSeconds(2);

    /**
     * A start of the recorder: when it was ready, the JVM's account of its time until then, and its memory once idle.
     */
    record Start(Duration ready, Map<String, Double> account, RecorderProcess.Memory idle) {}

    record Result(
            int gateways,
            @Nullable StopBurst stopsBefore,
            StopBurst stopsAfter,
            Burst unbatched,
            Burst batched,
            Burst again,
            List<String> jvmFlags,
            Start first,
            RecorderProcess.Memory afterBurst,
            Start restart,
            Map<String, Long> nativeMemory,
            Start withoutCache,
            Start c1,
            List<String> todayFlags,
            Start today) {}

    private BurstBench() {}

    /**
     * With {@code baseline} (the image of the commit before stops shared calls): its stop burst too, in the same run, on
     * a store and queue of its own.
     */
    static Result run(LocalSqs sqs, ContainerImage image, @Nullable ContainerImage baseline, Path logs, int count)
            throws Exception {
        Burst unbatched;
        List<String> gateways = Gateways.ids(count, 0x200000);
        StopBurst stopsBefore = null;
        if (baseline != null) {
            try (AwsStandIn aws = BenchSettings.alarmsUnthrottled(Gateways.standIn(gateways, 0x200000));
                    RecorderHarness recorder = new RecorderHarness(sqs, aws)) {
                Gateways.watch(recorder, gateways);
                BenchSettings.apply(recorder).without("server.port");
                try (RecorderProcess process =
                        RecorderProcess.start(baseline, recorder.arguments(), logs.resolve("baseline-recorder.log"))) {
                    process.awaitReady(Duration.ofMinutes(2));
                    awaitStartUpWork(process, count);
                    burst("the commit before", aws, recorder, process, gateways, null);
                    stopsBefore =
                            stopBurst("before: deletes under the gateway's lock", aws, recorder, process, gateways);
                }
            }
        }
        try (AwsStandIn aws = BenchSettings.alarmsUnthrottled(Gateways.standIn(gateways, 0x200000));
                RecorderHarness recorder = new RecorderHarness(sqs, aws)) {
            Gateways.watch(recorder, gateways);
            BenchSettings.apply(recorder).without("server.port").with("recorder.recording.start-batch-window", "0");
            try (RecorderProcess process =
                    RecorderProcess.start(image, recorder.arguments(), logs.resolve("unbatched-recorder.log"))) {
                process.awaitReady(Duration.ofMinutes(2));
                awaitStartUpWork(process, count);
                unbatched = burst("a call per start", aws, recorder, process, gateways, null);
            }
        }
        try (AwsStandIn aws = BenchSettings.alarmsUnthrottled(Gateways.standIn(gateways, 0x200000));
                RecorderHarness recorder = new RecorderHarness(sqs, aws)) {
            Gateways.watch(recorder, gateways);
            BenchSettings.apply(recorder).without("server.port");
            try (RecorderProcess process =
                    RecorderProcess.start(image, recorder.arguments(), logs.resolve("burst-recorder.log"))) {
                Duration ready = process.awaitReady(Duration.ofMinutes(2));
                Map<String, Double> account = process.timeAccount();
                awaitStartUpWork(process, count);
                Start first = new Start(ready, account, process.memory());
                Burst batched = burst("starts sharing calls", aws, recorder, process, gateways, null);
                RecorderProcess.Memory afterBurst = process.memory();
                // Every alarm clears, then all alarm again: the same burst on a recorder that has run one before.
                StopBurst stopsAfter =
                        stopBurst("after: deletes shared, off the gateway's lock", aws, recorder, process, gateways);
                Burst again = burst(
                        "the same again, the recorder warm",
                        aws,
                        recorder,
                        process,
                        gateways,
                        logs.resolve("burst-again-cpu.jfr"));
                List<String> flags = process.jvmFlags;
                process.close();
                // Restarts on the same store, every recording of the burst active.
                Restart restart = restart(image, recorder, logs.resolve("restart-recorder.log"), List.of(), false);
                Restart tracked = restart(
                        image,
                        recorder,
                        logs.resolve("nmt-recorder.log"),
                        List.of("-XX:NativeMemoryTracking=summary"),
                        false);
                Restart withoutCache = restart(
                        image, recorder, logs.resolve("nocache-recorder.log"), List.of("-XX:AOTMode=off"), false);
                Restart c1 = restart(
                        image, recorder, logs.resolve("c1-recorder.log"), List.of("-XX:TieredStopAtLevel=1"), false);
                Restart today = restart(image, recorder, logs.resolve("today-recorder.log"), List.of(), true);
                return new Result(
                        count,
                        stopsBefore,
                        stopsAfter,
                        unbatched,
                        batched,
                        again,
                        flags,
                        first,
                        afterBurst,
                        restart.start(),
                        tracked.nativeMemory(),
                        withoutCache.start(),
                        c1.start(),
                        today.flags(),
                        today.start());
            }
        }
    }

    static void awaitStartUpWork(RecorderProcess process, int count) {
        Awaitility.await("the start-up work: one alarm per gateway, the preflight")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> process.metric("recorder_alarms_actions_total", "action=\"created\"") == count
                        && process.metric("recorder_preflight_checks_total") > 0);
    }

    /**
     * Every gateway alarms at once, under EC2's buckets; until each has a flow log on each of its interfaces. With
     * {@code profile}: where the CPU went meanwhile.
     */
    private static Burst burst(
            String how,
            AwsStandIn aws,
            RecorderHarness recorder,
            RecorderProcess process,
            List<String> gateways,
            @Nullable Path profile)
            throws IOException, InterruptedException {
        int count = gateways.size();
        int throttledBefore = aws.throttled();
        int describesBefore = aws.calls("DescribeNatGateways").size();
        int createsBefore = aws.calls("CreateFlowLogs").size();
        int flowLogDescribesBefore = aws.calls("DescribeFlowLogs").size();
        aws.throttleLikeEc2(MUTATING_BUCKET, MUTATING_PER_SECOND, DESCRIBE_BUCKET, DESCRIBE_PER_SECOND);
        if (profile != null) {
            process.startCpuProfile();
        }
        CpuAccount.Counters cpuBefore = CpuAccount.Counters.now(process);
        Instant t0 = Instant.now();
        send(recorder, gateways, g -> Events.alarm(g, t0));
        Duration sending = Duration.between(t0, Instant.now());
        // The stand-in is asked at each poll; the recorder's metrics only every 2 s: a scrape costs the recorder CPU
        // that its burst shares.
        long[] nextScrape = {0};
        Awaitility.await("every recording started, " + how)
                .atMost(Duration.ofMinutes(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (recording(aws) >= 2L * count) {
                        return true;
                    }
                    if (System.nanoTime() < nextScrape[0]) {
                        return false;
                    }
                    nextScrape[0] = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    return process.metric("recorder_recordings_total", "result=\"failed\"") > 0;
                });
        CpuAccount.Counters cpuAfter = CpuAccount.Counters.now(process);
        CpuAccount.Result cpu =
                profile == null ? null : CpuAccount.of(cpuBefore, cpuAfter, process.stopCpuProfile(profile));
        Instant lastCreated = aws.flowLogsEverCreated().stream()
                .map(FlowLog::createdAt)
                .max(Instant::compareTo)
                .orElse(t0);
        // Every answer stored: the recordings hold their flow logs. A recorder from before the starts-pending gauge
        // was held strongly may have lost it to the collector (NaN): then the store says none is STARTING.
        Awaitility.await("every start answered, " + how)
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    double pending = process.metric("recorder_starts_pending");
                    return Double.isNaN(pending) ? starting(recorder) == 0 : pending == 0;
                });
        int failures = (int) (2L * count - recording(aws)) / 2
                + (int) process.metric("recorder_recordings_total", "result=\"failed\"")
                + (int) process.metric("recorder_events_dead_lettered_total");
        return new Burst(
                how,
                sending,
                Duration.between(t0, lastCreated),
                aws.calls("DescribeNatGateways").size() - describesBefore,
                aws.calls("CreateFlowLogs").size() - createsBefore,
                aws.calls("DescribeFlowLogs").size() - flowLogDescribesBefore,
                aws.throttled() - throttledBefore,
                failures,
                cpu);
    }

    /** Recordings the recorder's store holds as STARTING. */
    private static int starting(RecorderHarness recorder) throws java.sql.SQLException {
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(
                        RecorderHarness.postgresUrl() + "?currentSchema=" + recorder.schema(),
                        RecorderHarness.postgresUser(),
                        RecorderHarness.postgresPassword());
                java.sql.ResultSet rs =
                        db.createStatement().executeQuery("select count(*) from recording where state = 'STARTING'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** As EventBridge delivers an organization's alarms: many at once, not one after the other. */
    static void send(RecorderHarness recorder, List<String> gateways, Function<String, String> event) {
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            CompletableFuture.allOf(gateways.stream()
                            .map(g -> CompletableFuture.runAsync(() -> recorder.send(event.apply(g)), senders))
                            .toArray(CompletableFuture[]::new))
                    .join();
        } finally {
            senders.shutdown();
        }
    }

    /**
     * Every gateway's alarm clears at once, under EC2's buckets: until every flow log is deleted and every recording
     * ended. Timed from the end of the last tail to the last DeleteFlowLogs the stand-in received.
     */
    private static StopBurst stopBurst(
            String how, AwsStandIn aws, RecorderHarness recorder, RecorderProcess process, List<String> gateways)
            throws IOException, InterruptedException {
        int deletesBefore = aws.calls("DeleteFlowLogs").size();
        int describesBefore = aws.calls("DescribeFlowLogs").size();
        int throttledBefore = aws.throttled();
        double failedBefore = process.metric("recorder_recordings_total", "result=\"failed\"");
        Instant at = Instant.now();
        send(recorder, gateways, g -> Events.ok(g, at));
        Instant sent = Instant.now();
        Awaitility.await("every flow log deleted, " + how)
                .atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> aws.flowLogs().isEmpty());
        Instant lastDelete = aws.calls("DeleteFlowLogs").stream()
                .map(AwsStandIn.Call::at)
                .max(Instant::compareTo)
                .orElse(sent);
        Awaitility.await("every recording ended, " + how)
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> process.metric("recorder_recordings_active") == 0);
        return new StopBurst(
                how,
                Duration.between(sent.plus(TAIL), lastDelete),
                aws.calls("DeleteFlowLogs").size() - deletesBefore,
                aws.calls("DescribeFlowLogs").size() - describesBefore,
                aws.throttled() - throttledBefore,
                (int) (process.metric("recorder_recordings_total", "result=\"failed\"") - failedBefore));
    }

    /** Interfaces with a flow log: each gateway has two. */
    static long recording(AwsStandIn aws) {
        return aws.flowLogs().stream().map(FlowLog::resourceId).distinct().count();
    }

    record Restart(Start start, Map<String, Long> nativeMemory, List<String> flags) {}

    /**
     * Starts the recorder again on the same store and queue: ready time, and memory once it has resumed. {@code today}:
     * with the image's flags before Java 25, on the build's Java, its classes archived by a training run of its own.
     */
    private static Restart restart(
            ContainerImage image, RecorderHarness recorder, Path log, List<String> options, boolean today)
            throws Exception {
        try (RecorderProcess process = today
                ? RecorderProcess.startAsBefore(image, recorder.arguments(), log)
                : RecorderProcess.start(image, recorder.arguments(), log, options)) {
            Duration ready = process.awaitReady(Duration.ofMinutes(2));
            Map<String, Double> account = process.timeAccount();
            Awaitility.await("the preflight after the restart")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> process.metric("recorder_preflight_checks_total") > 0
                            && process.metric("recorder_alarms_runs_total") > 0);
            Map<String, Long> nativeMemory = options.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking"))
                    ? process.nativeMemory()
                    : Map.of();
            return new Restart(new Start(ready, account, process.memory()), nativeMemory, process.jvmFlags);
        }
    }
}
