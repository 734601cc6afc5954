package dev.vpcflowlogs.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The tables of BENCHMARKS.md, each with its goal and whether it was met. */
final class Markdown {

    static final Duration REACTION_GOAL = Duration.ofMillis(25);
    static final Duration BURST_GOAL = Duration.ofSeconds(10);
    static final Duration READY_GOAL = Duration.ofMillis(2500);
    static final long RSS_GOAL = 280L * 1024 * 1024;

    private Markdown() {}

    static String reaction(ReactionBench.Result r) {
        return f(
                        """
                ## 1. Reaction

                %,d spikes at %.1f a second through ElasticMQ, PostgreSQL store, the recorder in the benchmark's JVM.
                Each spike is an ALARM and, a second later, its OK (tail 0 s). Measured from the listener container
                handing the message to the recorder to the request reaching the stand-in. The rate stays under EC2's
                sustained 5 mutating calls a second, so the recorder's own token buckets never make a call wait.

                | path | samples | p50 | p99 | max |
                |---|---:|---:|---:|---:|
                | ALARM received → CreateFlowLogs | %d | %s | %s | %s |
                | OK received → DeleteFlowLogs | %d | %s | %s | %s |
                | ALARM received → CreateFlowLogs, spikes from %d s after the first on | %d | %s | %s | %s |

                Failures: %d. Goal: start p99 within 25 ms: **%s**. Spikes this far apart never wait for each
                other: a start or stop alone goes at once, and shares its calls only during a burst (part 2).
                """,
                        r.spikes(),
                        r.perSecond(),
                        r.start().count(),
                        Stats.ms(r.start().p50()),
                        Stats.ms(r.start().p99()),
                        Stats.ms(r.start().max()),
                        r.stop().count(),
                        Stats.ms(r.stop().p50()),
                        Stats.ms(r.stop().p99()),
                        Stats.ms(r.stop().max()),
                        ReactionBench.WARM_AFTER.toSeconds(),
                        r.warmStart().count(),
                        Stats.ms(r.warmStart().p50()),
                        Stats.ms(r.warmStart().p99()),
                        Stats.ms(r.warmStart().max()),
                        r.failures(),
                        r.start().p99().compareTo(REACTION_GOAL) <= 0 ? "met" : "missed")
                + "\n"
                + reactionAccount(r.account());
    }

    /** Where a start's time went: all starts against the slowest, and the slowest one by one. */
    static String reactionAccount(ReactionAccount.Result a) {
        java.util.Map<String, Double> all = ReactionAccount.meanMillis(a.all());
        java.util.Map<String, Double> slow = ReactionAccount.meanMillis(a.slowest());
        java.util.Map<String, String> names = new java.util.LinkedHashMap<>();
        names.put("total", "**received → CreateFlowLogs**");
        names.put("deciding", "stage 1: received → DescribeNatGateways (the alarm handled, the start handed over)");
        names.put("sending", "stage 2: DescribeNatGateways → CreateFlowLogs (the answer read, the call written down)");
        ReactionAccount.Result.kinds().forEach(k -> names.put(k, "waiting on " + k));
        names.put("running", "no wait recorded: running, or waiting for a core");
        StringBuilder rows = new StringBuilder();
        names.forEach(
                (part, name) -> rows.append(f("| %s | %.1f ms | %.1f ms |%n", name, all.get(part), slow.get(part))));
        rows.append(f("| PostgreSQL round trips | %.1f | %.1f |%n", all.get("roundTrips"), slow.get("roundTrips")));
        rows.append(f(
                "| classes its threads loaded (code run for the first time) | %.1f | %.1f |%n",
                all.get("classesLoaded"), slow.get("classesLoaded")));
        rows.append(f(
                "| methods the JIT compiled meanwhile (on the same two cores) | %.1f | %.1f |%n",
                all.get("compiled"), slow.get("compiled")));
        Instant first = a.all().get(0).start().received();
        StringBuilder slowest = new StringBuilder();
        a.slowest()
                .forEach(s -> slowest.append(f(
                        "| %.1f s | %.1f ms | %.1f ms | %.1f ms | %d | %d | %d | %s |%n",
                        Duration.between(first, s.start().received()).toMillis() / 1000.0,
                        s.start().total().toNanos() / 1e6,
                        s.start().deciding().toNanos() / 1e6,
                        s.start().sending().toNanos() / 1e6,
                        s.roundTrips(),
                        s.classesLoaded(),
                        s.compiled(),
                        s.longestWait().isEmpty() ? "none" : s.longestWait())));
        return f(
                """
                Where a start's time goes: its two stages as the stand-in saw them, and what the JVM recorded of
                the threads that carried it (JFR in the benchmark's JVM: the collector's pauses, classes loaded,
                methods compiled, and every wait on a socket, a lock or a park by the listener's thread until the
                look-up, then by the start batcher's), by the code that waited. Mean per start:

                | part | all %d starts | the slowest %d (p99 and above) |
                |---|---:|---:|
                %s
                The slowest one by one:

                | received (after the first) | total | stage 1 | stage 2 | PostgreSQL round trips | classes loaded | methods compiled | its longest wait |
                |---:|---:|---:|---:|---:|---:|---:|---|
                %s""",
                a.all().size(), a.slowest().size(), rows, slowest);
    }

    static String burst(BurstBench.Result r) {
        BurstBench.Burst u = r.unbatched();
        BurstBench.Burst b = r.batched();
        BurstBench.Burst a = r.again();
        boolean met = b.allRecording().compareTo(BURST_GOAL) <= 0 && b.failures() == 0 && b.throttled() <= 2;
        boolean metAgain = a.allRecording().compareTo(BURST_GOAL) <= 0 && a.failures() == 0 && a.throttled() <= 2;
        return f(
                """
                ## 2. Burst

                %,d gateways (two interfaces each) alarm at once. The stand-in throttles like EC2 (a bucket per
                action: %d tokens and %d a second for CreateFlowLogs and DeleteFlowLogs, %d and %d for the Describe
                calls) and answers RequestLimitExceeded beyond. The recorder runs as in part 3, with its default
                client-side buckets of the same sizes, once as it is (starts share calls) and once with
                `recorder.recording.start-batch-window: 0` (a call per start), each on a store and queue of its own,
                each burst the first work of a recorder just started (its code not compiled yet). Then every alarm
                of the first clears, its recordings stop, and all alarm again: the same burst on a recorder that
                ran one before, as a recorder that has been running meets one. Timed from the first message sent to
                the last flow log made (sending all took %s, %s and %s).

                | figure | %s | %s | %s |
                |---|---:|---:|---:|
                | every gateway recording after | %.1f s | %.1f s | %.1f s |
                | DescribeNatGateways calls | %,d | %,d | %,d |
                | CreateFlowLogs calls | %,d | %,d | %,d |
                | DescribeFlowLogs calls (which flow log is on which interface) | %,d | %,d | %,d |
                | calls throttled by the stand-in | %,d | %,d | %,d |
                | failures | %d | %d | %d |

                A call per start is bound by the CreateFlowLogs bucket: (N − 50) / 5 = %.0f s for N = %,d. Shared
                calls carry up to 200 gateways (DescribeNatGateways) and 300 interfaces (CreateFlowLogs).
                Goal: all %,d recording within 10 s, 0 failures, at most 2 throttled calls: **%s** on a recorder
                just started, **%s** on one that ran a burst before.
                %s""",
                r.gateways(),
                BurstBench.MUTATING_BUCKET,
                BurstBench.MUTATING_PER_SECOND,
                BurstBench.DESCRIBE_BUCKET,
                BurstBench.DESCRIBE_PER_SECOND,
                seconds(b.sending()),
                seconds(a.sending()),
                seconds(u.sending()),
                b.how(),
                a.how(),
                u.how(),
                b.allRecording().toMillis() / 1000.0,
                a.allRecording().toMillis() / 1000.0,
                u.allRecording().toMillis() / 1000.0,
                b.describeNatGateways(),
                a.describeNatGateways(),
                u.describeNatGateways(),
                b.createFlowLogs(),
                a.createFlowLogs(),
                u.createFlowLogs(),
                b.describeFlowLogs(),
                a.describeFlowLogs(),
                u.describeFlowLogs(),
                b.throttled(),
                a.throttled(),
                u.throttled(),
                b.failures(),
                a.failures(),
                u.failures(),
                Math.max(0, r.gateways() - BurstBench.MUTATING_BUCKET) / (double) BurstBench.MUTATING_PER_SECOND,
                r.gateways(),
                r.gateways(),
                met ? "met" : "missed",
                metAgain ? "met" : "missed",
                a.cpu() == null ? "" : "\n" + cpu(a.cpu()));
    }

    /** Where the CPU went during the burst again. */
    static String cpu(CpuAccount.Result c) {
        StringBuilder threads = new StringBuilder();
        c.byThreads().forEach(s -> threads.append(f("| %s | %.1f s | %.0f%% |%n", s.what(), s.seconds(), share(s, c))));
        StringBuilder code = new StringBuilder();
        c.byCode().forEach(s -> code.append(f("| %s | %.1f s | %.0f%% |%n", s.what(), s.seconds(), share(s, c))));
        return f(
                """
                Where the CPU went during the burst again (%.1f s until the last flow log, %d cores: %.1f CPU-seconds
                at most), from `/proc`: the machine was busy %.1f s, the recorder %.1f s, the benchmark's JVM
                (ElasticMQ, the AWS stand-in, the senders) %.1f s, PostgreSQL and the rest %.1f s. The recorder's
                own account, from the JVM's CPU-time sampler (JFR `jdk.CPUTimeSample`, each sample 10 ms of a
                thread's CPU, %.1f s sampled; the JIT compilers and the collector are not sampled):

                | the recorder's threads | CPU | share of sampled |
                |---|---:|---:|
                %s

                | the code that ran (innermost frame outside the JDK) | CPU | share of sampled |
                |---|---:|---:|
                %s""",
                c.wall().toMillis() / 1000.0,
                c.cores(),
                c.cores() * c.wall().toMillis() / 1000.0,
                c.machineBusy(),
                c.recorder(),
                c.benchmark(),
                c.rest(),
                c.sampled(),
                threads.toString().stripTrailing(),
                code);
    }

    private static double share(CpuAccount.Share s, CpuAccount.Result c) {
        return c.sampled() == 0 ? 0 : 100 * s.seconds() / c.sampled();
    }

    /** The stop burst: every alarm of the burst clears at once, before and after stops shared their calls. */
    static String stops(BurstBench.Result r) {
        BurstBench.StopBurst after = r.stopsAfter();
        BurstBench.StopBurst before = r.stopsBefore();
        boolean met = after.afterTails().compareTo(BURST_GOAL) <= 0 && after.failures() == 0;
        StringBuilder table = new StringBuilder("| figure | " + after.how() + " |"
                + (before == null ? "" : " " + before.how() + " |") + "\n|---|---:|" + (before == null ? "" : "---:|")
                + "\n");
        row(
                table,
                "every flow log deleted, after the last tail",
                after,
                before,
                s -> f("%.1f s", s.afterTails().toMillis() / 1000.0));
        row(table, "DeleteFlowLogs calls", after, before, s -> f("%,d", s.deleteFlowLogs()));
        row(table, "DescribeFlowLogs calls (delivery checks)", after, before, s -> f("%,d", s.describeFlowLogs()));
        row(table, "calls throttled by the stand-in", after, before, s -> f("%,d", s.throttled()));
        row(table, "failures", after, before, s -> f("%d", s.failures()));
        return f(
                """
                ## 2b. Stop burst

                Then every alarm of the first burst clears at once (%,d gateways, two flow logs each, under the same
                buckets). A stop checks its flow logs' delivery (DescribeFlowLogs) and deletes them (DeleteFlowLogs,
                up to 1,000 ids a call). Timed from the end of the last tail (the last OK sent, plus the %d s tail) to
                the last DeleteFlowLogs the stand-in received. %s

                %s
                The starts of the same burst took %,d CreateFlowLogs calls. Goal: all deleted within 10 s of the last
                OK's tail, 0 failures, with about as many DeleteFlowLogs calls as the start needed CreateFlowLogs:
                **%s** (%,d DeleteFlowLogs).
                """,
                r.gateways(),
                BurstBench.TAIL.toSeconds(),
                before == null
                        ? "(Run with -Dbench.baseline.jar=<the jar of the commit before> to measure it beside this one.)"
                        : "Before: the jar of the commit before stops shared their calls, on a store and queue of its"
                                + " own, in the same run.",
                table,
                r.batched().createFlowLogs(),
                met ? "met" : "missed",
                after.deleteFlowLogs());
    }

    private static void row(
            StringBuilder table,
            String figure,
            BurstBench.StopBurst after,
            BurstBench.@org.jspecify.annotations.Nullable StopBurst before,
            java.util.function.Function<BurstBench.StopBurst, String> value) {
        table.append("| ")
                .append(figure)
                .append(" | ")
                .append(value.apply(after))
                .append(" |");
        if (before != null) {
            table.append(' ').append(value.apply(before)).append(" |");
        }
        table.append('\n');
    }

    static String footprint(BurstBench.Result r) {
        RecorderProcess.Memory[] m = {
            r.first().idle(),
            r.afterBurst(),
            r.restart().idle(),
            r.withoutCache().idle(),
            r.c1().idle(),
            r.today().idle()
        };
        StringBuilder rows = new StringBuilder();
        rows.append(f(
                "| ready (readiness 200) after the process started | %s | | %s | %s | %s | %s |%n",
                seconds(r.first().ready()),
                seconds(r.restart().ready()),
                seconds(r.withoutCache().ready()),
                seconds(r.c1().ready()),
                seconds(r.today().ready())));
        rows.append(row("resident memory", m, RecorderProcess.Memory::rss));
        rows.append(row("peak resident memory", m, RecorderProcess.Memory::peakRss));
        rows.append(row("heap used", m, RecorderProcess.Memory::heapUsed));
        rows.append(row("heap committed", m, RecorderProcess.Memory::heapCommitted));
        rows.append(row("heap max", m, RecorderProcess.Memory::heapMax));
        rows.append(f(
                "| classes loaded | %,d | %,d | %,d | %,d | %,d | %,d |%n",
                m[0].classes(), m[1].classes(), m[2].classes(), m[3].classes(), m[4].classes(), m[5].classes()));
        StringBuilder time = new StringBuilder();
        List<BurstBench.Start> starts = List.of(r.first(), r.restart(), r.withoutCache(), r.c1(), r.today());
        time.append(f(
                "| wall clock until ready | %s |%n",
                String.join(
                        " | ", starts.stream().map(st -> seconds(st.ready())).toList())));
        for (String item : r.restart().account().keySet()) {
            boolean count = item.endsWith("(count)");
            time.append(f(
                    "| %s | %s |%n",
                    item.replace(" (count)", ""),
                    String.join(
                            " | ",
                            starts.stream()
                                    .map(st -> {
                                        double v = st.account().getOrDefault(item, 0.0);
                                        return count ? f("%,.0f", v) : f("%.2f s", v);
                                    })
                                    .toList())));
        }
        boolean readyMet = r.first().ready().compareTo(READY_GOAL) <= 0
                && r.restart().ready().compareTo(READY_GOAL) <= 0;
        boolean memoryMet = r.afterBurst().rss() <= RSS_GOAL;
        return f(
                """
                ## 3. Footprint

                The image's `/app`, assembled from the packaged jar as the Dockerfile does (extracted layers and the
                ahead-of-time cache of its training run, made by the image's Java), started with its entry point,
                its `JAVA_TOOL_OPTIONS` and the Helm chart's 512Mi memory limit as the JVM sees it in a container
                (`-XX:MaxRAM`): `%s`. It watches %,d gateways (one managed alarm each) on PostgreSQL. Idle means once
                the start-up work is done (the alarms reconciled, the permissions checked).

                Beside it, in the same run, on the same store: the same `/app` without its cache
                (`-XX:AOTMode=off`), and as the image ran it before (`%s`), with a class data archive made by a
                training run of that Java. The image was on Java 21 then; this machine has no Java 21, so the
                build's Java 17 stands in for it.

                | figure | Java 25 + AOT cache: first start, idle | end of the burst | restart, idle | restart without the cache, idle | restart with C1 only (`-XX:TieredStopAtLevel=1`), idle | restart as before (Java 17, class data sharing), idle |
                |---|---:|---:|---:|---:|---:|---:|
                %s
                The restarts run on the same store, with the %,d recordings of the burst active (their deadlines
                re-armed). Goals: ready within 2.5 s of the process start: **%s** (first start %s, restart %s);
                resident memory at most 280 MiB after the burst: **%s** (%s).

                Where the start-up time goes: the JVM's own counters (`jcmd PerfCounter.print`) at the moment it was
                ready, and the process's CPU time. Compilation and class loading run on other threads than the
                context's refresh, and all share this machine's two cores.

                | until ready | first start | restart | restart without the cache | restart with C1 only | restart as before (Java 17) |
                |---|---:|---:|---:|---:|---:|
                %s
                Where the memory goes: the JVM's own account (Native Memory Tracking, one more restart with
                `-XX:NativeMemoryTracking=summary`, idle), committed memory by category:

                | category | committed |
                |---|---:|
                %s
                The Helm chart's requests (250m, 512Mi) and limit (512Mi): the peak resident memory (%s) leaves %s
                below the limit, and the heap never used more than %s of its %s.
                """,
                String.join(" ", r.jvmFlags()),
                r.gateways(),
                String.join(" ", r.todayFlags()),
                rows,
                r.gateways(),
                readyMet ? "met" : "missed",
                seconds(r.first().ready()),
                seconds(r.restart().ready()),
                memoryMet ? "met" : "missed",
                mib(r.afterBurst().rss()),
                time,
                nativeMemory(r.nativeMemory()),
                mib(peak(r)),
                mib(512L * 1024 * 1024 - peak(r)),
                mib(java.util.Arrays.stream(m)
                        .limit(3)
                        .mapToLong(RecorderProcess.Memory::heapUsed)
                        .max()
                        .orElse(0)),
                mib(r.afterBurst().heapMax()));
    }

    private static long peak(BurstBench.Result r) {
        return Math.max(
                Math.max(r.first().idle().peakRss(), r.afterBurst().peakRss()),
                r.restart().idle().peakRss());
    }

    private static String nativeMemory(java.util.Map<String, Long> categories) {
        StringBuilder rows = new StringBuilder();
        long total = categories.values().stream().mapToLong(Long::longValue).sum();
        categories.entrySet().stream()
                .filter(e -> e.getValue() >= 1024 * 1024)
                .forEach(e -> rows.append(f("| %s | %s |%n", e.getKey(), mib(e.getValue()))));
        rows.append(f("| total | %s |%n", mib(total)));
        return rows.toString();
    }

    private static String row(
            String name, RecorderProcess.Memory[] m, java.util.function.ToLongFunction<RecorderProcess.Memory> f) {
        StringBuilder row = new StringBuilder("| " + name + " |");
        for (RecorderProcess.Memory memory : m) {
            row.append(' ').append(mib(f.applyAsLong(memory))).append(" |");
        }
        return row.append(System.lineSeparator()).toString();
    }

    static String engine(List<EngineBench.Result> results) {
        StringBuilder rows = new StringBuilder();
        boolean faster = true;
        boolean agree = true;
        for (EngineBench.Result r : results) {
            for (EngineBench.Run run : List.of(r.engine(), r.duckdb())) {
                rows.append(f(
                        "| %,d (%s) | %s | %.2f s | %,.0f | %s |\n",
                        r.records(),
                        mib(r.fileBytes()),
                        run.contender().equals("engine")
                                ? "report engine (1 thread, fed by a reader thread)"
                                : "DuckDB (2 threads)",
                        run.medianNanos() / 1e9,
                        run.recordsPerSecond(),
                        mib(run.peakRss())));
            }
            double ratio = r.engine().recordsPerSecond() / r.duckdb().recordsPerSecond();
            rows.append(
                    f("| | engine ÷ DuckDB | | **%.2f×** | results %s |\n", ratio, r.agree() ? "identical" : "DIFFER"));
            faster &= ratio >= 1;
            agree &= r.agree();
        }
        return f(
                """
                ## 4. Report engine against DuckDB

                Synthetic records of a NAT gateway's interface in the default format (four per flow, as the NAT shows
                them; many small flows between 200 hosts and 40 endpoints, S3 downloads, three heavy hitters, 0.1%%
                NODATA), read from a file. Both compute the same figures: records, NODATA, bytes, bytes by direction,
                the bytes the NAT processed (client side only), bytes by AWS service, and the top 10 conversations.
                Each contender runs in a JVM of its own (`%s`): one warm-up, then the median of the timed runs; peak
                memory is the process's peak resident set (DuckDB's memory is native). Both
                get the machine's two cores: DuckDB parses and aggregates on both; the engine sums on one thread (one
                analyzer per recording, as in the recorder) while a second thread splits the file into lines, which
                the engine takes as strings, as FilterLogEvents delivers them.

                | records (file) | contender | median time | records / s | peak resident memory |
                |---|---|---:|---:|---:|
                %s
                Goal: at least as fast as DuckDB, identical results: **%s**.
                """,
                String.join(" ", RecorderBenchmark.ENGINE_JVM),
                rows,
                faster && agree ? "met" : (agree ? "missed on speed, results identical" : "MISSED: results differ"));
    }

    /** Issue 29's goals at a quarter core. */
    static final Duration TASK_READY_GOAL = Duration.ofSeconds(15);

    static final Duration READY_CPU_GOAL = Duration.ofMillis(3500);
    static final Duration FIRST_SPIKE_GOAL = Duration.ofMillis(300);
    static final long IDLE_GOAL = 300L << 20;
    static final long BURST_RSS_GOAL = 400L << 20;

    static String taskSize(List<TaskSizeBench.Result> results) {
        StringBuilder rows = new StringBuilder();
        java.util.function.BiConsumer<String, java.util.function.Function<TaskSizeBench.Result, String>> row =
                (name, value) -> {
                    rows.append("| ").append(name);
                    results.forEach(r -> rows.append(" | ").append(value.apply(r)));
                    rows.append(" |\n");
                };
        rows.append("| figure");
        results.forEach(r -> rows.append(" | ").append(r.size()));
        rows.append(" |\n|---");
        results.forEach(r -> rows.append("|---:"));
        rows.append("|\n");
        row.accept("ready (readiness 200) after the process started", r -> seconds(r.ready()));
        row.accept("CPU time until ready (all threads)", r -> seconds(r.cpuToReady()));
        row.accept(
                "first spike after readiness: ALARM sent → CreateFlowLogs",
                r -> f("%d ms", r.firstSpike().toMillis()));
        row.accept(
                "resident memory, idle (start-up work done)", r -> mib(r.idle().rss()));
        row.accept(
                "heap used / committed, idle",
                r -> mib(r.idle().heapUsed()) + " / " + mib(r.idle().heapCommitted()));
        row.accept("classes loaded, idle", r -> f("%,d", r.idle().classes()));
        row.accept("every gateway recording after the burst began", r -> seconds(r.burstAllRecording()));
        row.accept(
                "resident memory after the burst (peak)",
                r -> mib(r.afterBurst().rss()) + " (" + mib(r.afterBurst().peakRss()) + ")");
        row.accept("failures", r -> Integer.toString(r.failures()));
        TaskSizeBench.Result quarter = results.get(0);
        StringBuilder account = new StringBuilder();
        quarter.account()
                .forEach((k, v) -> account.append(
                        k.contains("(count)") ? f("| %s | %,.0f |%n", k, v) : f("| %s | %.2f s |%n", k, v)));
        boolean ready = quarter.ready().compareTo(TASK_READY_GOAL) <= 0
                && quarter.cpuToReady().compareTo(READY_CPU_GOAL) <= 0;
        boolean spike = quarter.firstSpike() != null && quarter.firstSpike().compareTo(FIRST_SPIKE_GOAL) <= 0;
        boolean memory =
                quarter.idle().rss() <= IDLE_GOAL && quarter.afterBurst().rss() <= BURST_RSS_GOAL;
        return f(
                """
                ## 5. At the task's size

                The image's `/app` (Java 25, its ahead-of-time cache, its `JAVA_TOOL_OPTIONS`) started in cgroup v1
                groups with the ECS task's and the chart's limits: a CPU quota (25 ms every 100 ms for a quarter
                vCPU) and 512 MiB, which the JVM reads as a container's does; H2 in a file, as one replica runs by
                default; %,d gateways watched. A restart: a run before it made the alarms and left its store. At
                readiness one gateway alarms (its code runs for the first time; the preflight and the pass over the
                alarms wait 10 s and 30 s); once that work is done the memory is read idle; then every other gateway
                alarms at once.

                %s
                The JVM's account of the quarter core's start-up, read at readiness (jcmd PerfCounter.print; the
                times are elapsed, summed over threads, so under a quota they include waiting for it):

                | counter | value |
                |---|---:|
                %s
                Goals at a quarter core (issue 29): ready within 15 s on at most 3.5 CPU-seconds: **%s**; the first
                spike at CreateFlowLogs within 300 ms: **%s**; resident at most 300 MiB idle and 400 MiB after the
                burst: **%s**.
                """,
                RecorderBenchmark.TASK_BURST,
                rows,
                account,
                ready ? "met" : "missed",
                spike ? "met" : "missed",
                memory ? "met" : "missed");
    }

    static String mib(long bytes) {
        return f("%.0f MiB", bytes / (1024.0 * 1024));
    }

    static String seconds(Duration d) {
        return f("%.1f s", d.toMillis() / 1000.0);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
