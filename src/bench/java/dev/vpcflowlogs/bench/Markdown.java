package dev.vpcflowlogs.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The tables of BENCHMARKS.md, each with its goal and whether it was met. */
final class Markdown {

    static final Duration REACTION_GOAL = Duration.ofMillis(25);
    static final double BURST_GOAL = 1.1;
    static final Duration READY_GOAL = Duration.ofSeconds(5);
    static final long RSS_GOAL = 300L * 1024 * 1024;

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

                Failures: %d. Goal: start p99 within 25 ms: **%s**. The stop path includes, by design, the up to
                50 ms that DeleteFlowLogs calls wait to be batched (up to 1,000 ids a call).
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
                r.failures(),
                r.start().p99().compareTo(REACTION_GOAL) <= 0 ? "met" : "missed");
    }

    static String burst(BurstBench.Result r) {
        return f(
                """
                ## 2. Burst

                %,d gateways alarm at once. The stand-in throttles like EC2 (a bucket per action: %d tokens and %d a
                second for CreateFlowLogs and DeleteFlowLogs, %d and %d for the Describe calls) and answers
                RequestLimitExceeded beyond. The recorder runs as in part 3, with its default client-side buckets of
                the same sizes. Timed from the first message sent (sending all took %s).

                | figure | value |
                |---|---:|
                | every recording started after | %.1f s |
                | optimum the buckets allow | %.1f s |
                | ratio | %.3f |
                | CreateFlowLogs calls (attempts) | %,d |
                | DescribeNatGateways calls (attempts) | %,d |
                | calls throttled by the stand-in | %,d |
                | failures | %d |

                Optimum: each recording needs one DescribeNatGateways and one CreateFlowLogs. A bucket of B tokens
                refilled at r a second serves N calls no sooner than (N − B) / r seconds after the first, and the two
                actions overlap, so optimum = max((N − 50) / 5, (N − 100) / 20) = %.0f s for N = %,d.
                Goal: within 1.1 × optimum with 0 failures: **%s**.
                """,
                r.gateways(),
                BurstBench.MUTATING_BUCKET,
                BurstBench.MUTATING_PER_SECOND,
                BurstBench.DESCRIBE_BUCKET,
                BurstBench.DESCRIBE_PER_SECOND,
                seconds(r.sending()),
                r.allStarted().toMillis() / 1000.0,
                r.optimum().toMillis() / 1000.0,
                r.ratio(),
                r.createCalls(),
                r.describeCalls(),
                r.throttled(),
                r.failures(),
                r.optimum().toMillis() / 1000.0,
                r.gateways(),
                r.ratio() <= BURST_GOAL && r.failures() == 0 ? "met" : "missed");
    }

    static String footprint(BurstBench.Result r) {
        RecorderProcess.Memory[] m = {r.idle(), r.afterBurst(), r.restartIdle(), r.c1Idle()};
        StringBuilder rows = new StringBuilder();
        rows.append(f(
                "| ready (readiness 200) after the process started | %s | | %s | %s |%n",
                seconds(r.ready()), seconds(r.restartReady()), seconds(r.c1Ready())));
        rows.append(row("resident memory", m, RecorderProcess.Memory::rss));
        rows.append(row("peak resident memory", m, RecorderProcess.Memory::peakRss));
        rows.append(row("heap used", m, RecorderProcess.Memory::heapUsed));
        rows.append(row("heap committed", m, RecorderProcess.Memory::heapCommitted));
        rows.append(row("heap max", m, RecorderProcess.Memory::heapMax));
        rows.append(f(
                "| classes loaded | %,d | %,d | %,d | %,d |%n",
                m[0].classes(), m[1].classes(), m[2].classes(), m[3].classes()));
        return f(
                """
                ## 3. Footprint

                The image's `/app`, assembled from the packaged jar as the Dockerfile does (extracted layers and the
                class data archive of its training run), started with its entry point, its `JAVA_TOOL_OPTIONS` and
                the Helm chart's 512Mi memory limit as the JVM sees it in a container (`-XX:MaxRAM`):
                `%s`. It watches %,d gateways (one managed alarm each) on PostgreSQL. Idle means once the
                start-up work is done (the alarms reconciled, the permissions checked).

                | figure | first start, idle | end of the burst | restart, idle | restart with `-XX:TieredStopAtLevel=1`, idle |
                |---|---:|---:|---:|---:|
                %s
                The restarts run on the same store, with the %,d recordings of the burst active (their deadlines
                re-armed). Goals: ready within 5 s: **%s** (first start %s, restart %s); resident memory under 300
                MiB at the end of the burst: **%s** (%s).

                Where the memory goes: the JVM's own account (Native Memory Tracking, one more restart with
                `-XX:NativeMemoryTracking=summary`, idle), committed memory by category:

                | category | committed |
                |---|---:|
                %s
                What bounds them. About %,d classes (Spring Boot, Tomcat, the AWS SDK's EC2, CloudWatch, Logs, SNS
                and SQS clients, Jackson, Flyway, Micrometer) make the largest part: with class data sharing they are
                mapped from the image's archive (`Shared class space`: file pages, shared and reclaimable) rather
                than built in Metaspace. Without class data sharing (`-Xshare:off`) the same restart was ready
                after %s, with %s resident. The Serial collector keeps about twice the live heap committed (%s for %s
                used at the end of the burst). Compiled code takes %s; C1 alone (`-XX:TieredStopAtLevel=1`, last column) saves %s and starts in %s, at the
                cost of slower compiled code, so the image keeps the default compilers. The start-up is bound by the
                two cores, which the JIT compilers and the context share; a CPU limit would lengthen it.

                The Helm chart's requests (250m, 512Mi) and limit (512Mi) are confirmed: the peak resident memory
                (%s) leaves %s below the limit, and the heap never used more than %s of its %s.
                """,
                String.join(" ", r.jvmFlags()),
                r.gateways(),
                rows,
                r.gateways(),
                r.ready().compareTo(READY_GOAL) <= 0 && r.restartReady().compareTo(READY_GOAL) <= 0 ? "met" : "missed",
                seconds(r.ready()),
                seconds(r.restartReady()),
                r.afterBurst().rss() < RSS_GOAL ? "met" : "missed",
                mib(r.afterBurst().rss()),
                nativeMemory(r.nativeMemory()),
                r.afterBurst().classes(),
                seconds(r.withoutSharingReady()),
                mib(r.withoutSharingIdle().rss()),
                mib(r.afterBurst().heapCommitted()),
                mib(r.afterBurst().heapUsed()),
                mib(r.nativeMemory().getOrDefault("Code", 0L)),
                mib(r.restartIdle().rss() - r.c1Idle().rss()),
                seconds(r.c1Ready()),
                mib(peak(r)),
                mib(512L * 1024 * 1024 - peak(r)),
                mib(java.util.Arrays.stream(m)
                        .mapToLong(RecorderProcess.Memory::heapUsed)
                        .max()
                        .orElse(0)),
                mib(r.afterBurst().heapMax()));
    }

    private static long peak(BurstBench.Result r) {
        return Math.max(
                Math.max(r.idle().peakRss(), r.afterBurst().peakRss()),
                r.restartIdle().peakRss());
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
        return f(
                "| %s | %s | %s | %s | %s |%n",
                name,
                mib(f.applyAsLong(m[0])),
                mib(f.applyAsLong(m[1])),
                mib(f.applyAsLong(m[2])),
                mib(f.applyAsLong(m[3])));
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
