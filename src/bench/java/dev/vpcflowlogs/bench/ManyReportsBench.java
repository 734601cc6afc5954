package dev.vpcflowlogs.bench;

import dev.vpcflowlogs.packaging.ContainerImage;
import dev.vpcflowlogs.recorder.e2e.Events;
import dev.vpcflowlogs.recorder.e2e.Gateways;
import dev.vpcflowlogs.recorder.e2e.LocalSqs;
import dev.vpcflowlogs.recorder.e2e.RecorderHarness;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * Part 7 (issue 27): a thousand recordings of two interfaces each end within a minute (an organization-wide spike), each
 * with its records in CloudWatch Logs; how long until the last notification carries its report. The stand-in throttles
 * as AWS does: EC2 per action (as in part 2), CloudWatch Logs' FilterLogEvents at 5 calls a second and
 * DescribeLogStreams at 25. The recorder of the commit before (one bucket of 4 CloudWatch Logs calls a second, two
 * reports at once, a FilterLogEvents reading each) and this one, each on a store, queue and stand-in of its own.
 */
final class ManyReportsBench {

    /** The spread of the alarms' OKs. */
    static final Duration ENDING = Duration.ofMinutes(1);
    /** Records in each interface's stream, within its recording. */
    static final int RECORDS_PER_INTERFACE = 200;

    record Run(
            String how,
            int recordings,
            Duration afterFirstOk,
            Duration afterLastOk,
            int reported,
            int filterLogEvents,
            int describeLogStreams,
            int throttled,
            RecorderProcess.Memory memory,
            double sharedMean) {}

    record Result(int recordings, @Nullable Run before, Run after) {}

    private ManyReportsBench() {}

    static Result run(LocalSqs sqs, ContainerImage image, @Nullable ContainerImage baseline, Path logs, int count)
            throws Exception {
        Run before = baseline == null ? null : one(sqs, baseline, logs, count, "the commit before");
        Run after = one(sqs, image, logs, count, "this commit");
        return new Result(count, before, after);
    }

    private static Run one(LocalSqs sqs, ContainerImage image, Path logs, int count, String how) throws Exception {
        long base = 0x600000;
        List<String> gateways = Gateways.ids(count, base);
        try (AwsStandIn aws = BenchSettings.alarmsUnthrottled(Gateways.standIn(gateways, base));
                RecorderHarness recorder = new RecorderHarness(sqs, aws)) {
            Gateways.watch(recorder, gateways);
            BenchSettings.apply(recorder)
                    .without("server.port")
                    .with("recorder.report.enabled", true)
                    .with("recorder.report.delay", "1s");
            Path log = logs.resolve("many-reports-" + (baseline(how) ? "before" : "after") + "-recorder.log");
            try (RecorderProcess p = RecorderProcess.start(image, recorder.arguments(), log)) {
                p.awaitReady(Duration.ofMinutes(3));
                BurstBench.awaitStartUpWork(p, count);
                aws.throttleLikeEc2(
                        BurstBench.MUTATING_BUCKET,
                        BurstBench.MUTATING_PER_SECOND,
                        BurstBench.DESCRIBE_BUCKET,
                        BurstBench.DESCRIBE_PER_SECOND);
                aws.throttleLikeLogs(5, 25);
                Instant alarm = Instant.now();
                BurstBench.send(recorder, gateways, g -> Events.alarm(g, alarm));
                Awaitility.await("every recording's flow logs, " + how)
                        .atMost(Duration.ofMinutes(10))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> BurstBench.recording(aws) >= 2L * count);
                Instant recordsFrom = Instant.now();
                for (int i = 0; i < count; i++) {
                    for (String eni : Gateways.interfaces(i, base)) {
                        aws.generatedStream(
                                RecorderHarness.LOG_GROUP,
                                eni + "-all",
                                new GeneratedFlowLogs(RECORDS_PER_INTERFACE, recordsFrom.toEpochMilli(), 1_000, i));
                    }
                }
                int filtersBefore = aws.calls("FilterLogEvents").size();
                int describesBefore = aws.calls("DescribeLogStreams").size();
                int throttledBefore = aws.throttled();
                Instant firstOk = Instant.now().plusSeconds(2);
                Instant lastOk = endWithinAMinute(recorder, gateways, firstOk);
                Awaitility.await("every notification, " + how)
                        .atMost(Duration.ofMinutes(40))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> aws.published().size() >= count);
                Instant notified = Instant.now();
                int reported = (int) aws.published().stream()
                        .filter(m -> m.message().lines().anyMatch(l -> l.startsWith("Read by")))
                        .count();
                double batches = p.metric("recorder_report_reads_shared_count");
                double sharedSum = p.metric("recorder_report_reads_shared_sum");
                return new Run(
                        how,
                        count,
                        Duration.between(firstOk, notified),
                        Duration.between(lastOk, notified),
                        reported,
                        aws.calls("FilterLogEvents").size() - filtersBefore,
                        aws.calls("DescribeLogStreams").size() - describesBefore,
                        aws.throttled() - throttledBefore,
                        p.memory(),
                        batches > 0 ? sharedSum / batches : Double.NaN);
            }
        }
    }

    private static boolean baseline(String how) {
        return how.startsWith("the commit before");
    }

    /** The gateways' OKs, spread evenly over a minute from {@code first}; returns when the last was sent. */
    private static Instant endWithinAMinute(RecorderHarness recorder, List<String> gateways, Instant first)
            throws Exception {
        ScheduledExecutorService senders = Executors.newScheduledThreadPool(4);
        try {
            long step = ENDING.toNanos() / gateways.size();
            long delay = Duration.between(Instant.now(), first).toNanos();
            List<ScheduledFuture<Instant>> sent = new ArrayList<>();
            for (int i = 0; i < gateways.size(); i++) {
                String gateway = gateways.get(i);
                sent.add(senders.schedule(
                        () -> {
                            Instant at = Instant.now();
                            recorder.send(Events.ok(gateway, at));
                            return at;
                        },
                        delay + i * step,
                        TimeUnit.NANOSECONDS));
            }
            Instant last = first;
            for (ScheduledFuture<Instant> s : sent) {
                Instant at = s.get(5, TimeUnit.MINUTES);
                last = at.isAfter(last) ? at : last;
            }
            return last;
        } finally {
            senders.shutdown();
        }
    }

    static String markdown(Result r) {
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                """
                ## 7. A thousand reports at once

                %,d recordings of a NAT gateway's two interfaces (%d records each in CloudWatch Logs) end within a
                minute, their OKs spread evenly over it; report delay 1 s, the harness's tail 2 s. The stand-in
                throttles as AWS does: EC2 per action (part 2's buckets), CloudWatch Logs' FilterLogEvents at 5 calls a
                second and DescribeLogStreams at 25 (no burst). Each recorder is the image's `/app` on a store, queue
                and stand-in of its own; the commit before is the jar given with `-Dbench.baseline.jar`. Goal: the last
                notification carries its report within 10 minutes.

                | recorder | last notification after the first OK | after the last OK | notifications with their report | FilterLogEvents | DescribeLogStreams | throttled | recordings a FilterLogEvents reading served (mean) | peak RSS |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|
                """,
                r.recordings(),
                2 * RECORDS_PER_INTERFACE));
        List<Run> runs = new ArrayList<>();
        if (r.before() != null) {
            runs.add(r.before());
        }
        runs.add(r.after());
        for (Run run : runs) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f s | %.1f s | %,d of %,d | %,d | %,d | %,d | %s | %d MiB |%n",
                    run.how(),
                    run.afterFirstOk().toMillis() / 1000.0,
                    run.afterLastOk().toMillis() / 1000.0,
                    run.reported(),
                    run.recordings(),
                    run.filterLogEvents(),
                    run.describeLogStreams(),
                    run.throttled(),
                    Double.isNaN(run.sharedMean())
                            ? "1 (not shared)"
                            : String.format(Locale.ROOT, "%.1f", run.sharedMean()),
                    run.memory().peakRss() / (1024 * 1024)));
        }
        if (r.before() == null) {
            b.append("\nThe commit before was not measured (run with `-Dbench.baseline.jar=<its jar>`).\n");
        }
        return b.toString();
    }
}
