package dev.vpcflowlogs.bench;

import dev.vpcflowlogs.packaging.ContainerImage;
import dev.vpcflowlogs.recorder.e2e.Events;
import dev.vpcflowlogs.recorder.e2e.Gateways;
import dev.vpcflowlogs.recorder.e2e.LocalSqs;
import dev.vpcflowlogs.recorder.e2e.RecorderHarness;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.FlowLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * Parts 2 and 3: every gateway alarms at once against a stand-in that throttles like EC2, with the packaged
 * recorder in its own JVM run as the Dockerfile runs it; its start-up time and memory, idle and after the burst.
 */
final class BurstBench {

    static final int MUTATING_BUCKET = 50;
    static final int MUTATING_PER_SECOND = 5;
    static final int DESCRIBE_BUCKET = 100;
    static final int DESCRIBE_PER_SECOND = 20;

    record Result(
            int gateways,
            List<String> jvmFlags,
            Duration ready,
            RecorderProcess.Memory idle,
            RecorderProcess.Memory afterBurst,
            Duration sending,
            Duration allStarted,
            Duration optimum,
            int createCalls,
            int describeCalls,
            int throttled,
            int failures,
            Duration restartReady,
            RecorderProcess.Memory restartIdle,
            Duration c1Ready,
            RecorderProcess.Memory c1Idle,
            java.util.Map<String, Long> nativeMemory,
            Duration withoutSharingReady,
            RecorderProcess.Memory withoutSharingIdle) {

        double ratio() {
            return allStarted.toMillis() / (double) optimum.toMillis();
        }
    }

    private BurstBench() {}

    static Result run(LocalSqs sqs, ContainerImage image, Path logs, int count) throws Exception {
        List<String> gateways = Gateways.ids(count, 0x200000);
        try (AwsStandIn aws = Gateways.standIn(gateways, 0x200000);
                RecorderHarness recorder = new RecorderHarness(sqs, aws)) {
            Gateways.watch(recorder, gateways);
            BenchSettings.apply(recorder).without("server.port");
            try (RecorderProcess process =
                    RecorderProcess.start(image, recorder.arguments(), logs.resolve("burst-recorder.log"))) {
                Duration ready = process.awaitReady(Duration.ofMinutes(2));
                Awaitility.await("the start-up work: one alarm per gateway, the preflight")
                        .atMost(Duration.ofMinutes(5))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> process.metric("recorder_alarms_actions_total", "action=\"created\"") == count
                                && process.metric("recorder_preflight_checks_total") > 0);
                RecorderProcess.Memory idle = process.memory();

                aws.throttleLikeEc2(MUTATING_BUCKET, MUTATING_PER_SECOND, DESCRIBE_BUCKET, DESCRIBE_PER_SECOND);
                Instant t0 = Instant.now();
                gateways.forEach(g -> recorder.send(Events.alarm(g, t0)));
                Duration sending = Duration.between(t0, Instant.now());
                Awaitility.await("every recording started")
                        .atMost(Duration.ofMinutes(15))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> aws.flowLogsEverCreated().size() >= 2 * count
                                || process.metric("recorder_recordings_total", "result=\"failed\"") > 0);
                Instant lastCreated = aws.flowLogsEverCreated().stream()
                        .map(FlowLog::createdAt)
                        .max(Instant::compareTo)
                        .orElse(t0);
                RecorderProcess.Memory afterBurst = process.memory();

                int creates = aws.calls("CreateFlowLogs").size();
                int describes = aws.calls("DescribeNatGateways").size();
                long started = aws.flowLogsEverCreated().stream()
                        .map(f -> f.tags().get("nat-gateway-id"))
                        .distinct()
                        .count();
                int failures = (int) (count - started)
                        + (int) process.metric("recorder_recordings_total", "result=\"failed\"")
                        + (int) process.metric("recorder_events_dead_lettered_total");
                process.close();
                // A restart on the same store (every recording active), then the same with C1 only.
                Restart restart = restart(image, recorder, logs.resolve("restart-recorder.log"), List.of());
                Restart c1 =
                        restart(image, recorder, logs.resolve("c1-recorder.log"), List.of("-XX:TieredStopAtLevel=1"));
                Restart withoutSharing =
                        restart(image, recorder, logs.resolve("noshare-recorder.log"), List.of("-Xshare:off"));
                Restart tracked = restart(
                        image, recorder, logs.resolve("nmt-recorder.log"), List.of("-XX:NativeMemoryTracking=summary"));
                return new Result(
                        count,
                        process.jvmFlags,
                        ready,
                        idle,
                        afterBurst,
                        sending,
                        Duration.between(t0, lastCreated),
                        optimum(count),
                        creates,
                        describes,
                        aws.throttled(),
                        failures,
                        restart.ready(),
                        restart.idle(),
                        c1.ready(),
                        c1.idle(),
                        tracked.nativeMemory(),
                        withoutSharing.ready(),
                        withoutSharing.idle());
            }
        }
    }

    record Restart(Duration ready, RecorderProcess.Memory idle, java.util.Map<String, Long> nativeMemory) {}

    /** Starts the recorder again on the same store and queue: ready time, and memory once it has resumed. */
    private static Restart restart(ContainerImage image, RecorderHarness recorder, Path log, List<String> options)
            throws Exception {
        try (RecorderProcess process = RecorderProcess.start(image, recorder.arguments(), log, options)) {
            Duration ready = process.awaitReady(Duration.ofMinutes(2));
            Awaitility.await("the preflight after the restart")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> process.metric("recorder_preflight_checks_total") > 0
                            && process.metric("recorder_alarms_runs_total") > 0);
            java.util.Map<String, Long> nativeMemory =
                    options.stream().anyMatch(o -> o.startsWith("-XX:NativeMemoryTracking"))
                            ? process.nativeMemory()
                            : java.util.Map.of();
            return new Restart(ready, process.memory(), nativeMemory);
        }
    }

    /**
     * The soonest N recordings can all have started: each needs one DescribeNatGateways and one CreateFlowLogs, and
     * a bucket of B tokens refilled at r a second serves N calls no sooner than (N - B) / r seconds after the first.
     * The two actions have their own buckets and overlap, so the slower one bounds it.
     */
    static Duration optimum(int calls) {
        double creates = Math.max(0, calls - MUTATING_BUCKET) / (double) MUTATING_PER_SECOND;
        double describes = Math.max(0, calls - DESCRIBE_BUCKET) / (double) DESCRIBE_PER_SECOND;
        return Duration.ofMillis((long) (1000 * Math.max(creates, describes)));
    }
}
