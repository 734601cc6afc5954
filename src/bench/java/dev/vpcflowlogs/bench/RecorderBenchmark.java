package dev.vpcflowlogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.packaging.ContainerImage;
import dev.vpcflowlogs.recorder.e2e.LocalSqs;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The benchmarks ({@code ./mvnw -Pbench verify}): they print their tables and write {@code BENCHMARKS.md}. They fail
 * only on wrong results or failures, never on timings.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecorderBenchmark {

    static final int SPIKES = Integer.getInteger("bench.spikes", 1000);
    static final double SPIKES_PER_SECOND = Double.parseDouble(System.getProperty("bench.rate", "4"));
    static final int BURST = Integer.getInteger("bench.burst", 1000);
    /** Gateways at the task's size; {@code -Dbench.task.cores=0.25,1} the sizes. */
    static final int TASK_BURST = Integer.getInteger("bench.task.burst", 1000);

    static final List<Long> ENGINE_RECORDS = java.util.Arrays.stream(
                    System.getProperty("bench.records", "1000000,10000000").split(","))
            .map(Long::parseLong)
            .toList();
    static final Path WORK = Path.of("target", "bench");
    /** Records of part 6's recordings; {@code -Dbench.big.records=...}. */
    static final List<Long> BIG_RECORDS = java.util.Arrays.stream(
                    System.getProperty("bench.big.records", "1000000,10000000").split(","))
            .map(Long::parseLong)
            .toList();

    /** Recordings ending together in part 7; {@code -Dbench.many.reports=...}. */
    static final int MANY_REPORTS = Integer.getInteger("bench.many.reports", 1_000);

    static LocalSqs sqs;
    static ContainerImage image;
    /** The image of the commit a comparison is made against ({@code -Dbench.baseline.jar}), if any. */
    static @org.jspecify.annotations.Nullable ContainerImage baseline;

    static final List<String> sections = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        sqs = LocalSqs.start();
        Path imageDir = WORK.resolve("image");
        org.springframework.util.FileSystemUtils.deleteRecursively(imageDir);
        image = ContainerImage.assemble(Path.of("Dockerfile"), Path.of(System.getProperty("bench.jar")), imageDir);
        String baselineJar = System.getProperty("bench.baseline.jar", "");
        if (!baselineJar.isBlank() && Files.exists(Path.of(baselineJar))) {
            Path baselineDir = WORK.resolve("baseline-image");
            org.springframework.util.FileSystemUtils.deleteRecursively(baselineDir);
            baseline = ContainerImage.assemble(Path.of("Dockerfile"), Path.of(baselineJar), baselineDir);
        }
    }

    /**
     * The JVM of each report-engine contender: the container's collector and heap limit, with a young generation
     * sized for a streaming workload (the engine makes short-lived strings; DuckDB's memory is native).
     */
    static final List<String> ENGINE_JVM = List.of("-XX:+UseSerialGC", "-Xmx512m", "-Xmn128m");

    @AfterAll
    static void writeReport() throws IOException {
        sqs.close();
        String report = header() + String.join("\n", sections);
        System.out.println(report);
        Files.writeString(Path.of(System.getProperty("bench.output", "BENCHMARKS.md")), report);
    }

    @Test
    @Order(1)
    void reaction() throws IOException {
        ReactionBench.Result r = ReactionBench.run(sqs, SPIKES, SPIKES_PER_SECOND, WORK);
        sections.add(Markdown.reaction(r));
        assertThat(r.failures()).as("spikes not recorded and stopped").isZero();
    }

    @Test
    @Order(2)
    void burstAndFootprint() throws Exception {
        BurstBench.Result r = BurstBench.run(sqs, image, baseline, WORK, BURST);
        sections.add(Markdown.burst(r));
        sections.add(Markdown.stops(r));
        sections.add(Markdown.footprint(r));
        assertThat(r.batched().failures())
                .as("recordings that failed or never started")
                .isZero();
        assertThat(r.again().failures())
                .as("recordings that failed or never started, the burst again")
                .isZero();
        assertThat(r.unbatched().failures())
                .as("recordings that failed or never started, a call per start")
                .isZero();
        assertThat(r.stopsAfter().failures()).as("recordings whose stop failed").isZero();
    }

    @Test
    @Order(3)
    void reportEngine() throws Exception {
        List<EngineBench.Result> results = new ArrayList<>();
        for (long records : ENGINE_RECORDS) {
            results.add(EngineBench.run(WORK, records, records > 5_000_000 ? 2 : 3, ENGINE_JVM));
        }
        sections.add(Markdown.engine(results));
        assertThat(results).allSatisfy(r -> assertThat(r.engine().answer())
                .as("the engine and DuckDB agree on %,d records", r.records())
                .isEqualTo(r.duckdb().answer()));
    }

    @Test
    @Order(4)
    void atTheTasksSize() throws Exception {
        if (!TaskLimits.available()) {
            sections.add(
                    "## 5. At the task's size\n\nNot measured: this machine does not let the benchmark make cgroup v1"
                            + " cpu and memory groups (it needs root and both controllers mounted at /sys/fs/cgroup).\n");
            return;
        }
        List<Double> cores = java.util.Arrays.stream(
                        System.getProperty("bench.task.cores", "0.25,1").split(","))
                .map(Double::parseDouble)
                .toList();
        List<TaskSizeBench.Result> results = TaskSizeBench.run(sqs, image, WORK, TASK_BURST, cores);
        sections.add(Markdown.taskSize(results));
        assertThat(results)
                .allSatisfy(r ->
                        assertThat(r.failures()).as("failures at %s", r.size()).isZero());
    }

    @Test
    @Order(5)
    void bigReports() throws Exception {
        List<BigReportBench.Result> results = new ArrayList<>();
        for (long records : BIG_RECORDS) {
            results.add(BigReportBench.run(sqs, image, WORK, records, "2m"));
        }
        sections.add(BigReportBench.markdown(results));
        assertThat(results).allSatisfy(r -> assertThat(BigReportBench.agree(r))
                .as("the engines' answers on %,d records", r.records())
                .isNotEqualTo(Boolean.FALSE));
    }

    @Test
    @Order(6)
    void manyReports() throws Exception {
        ManyReportsBench.Result r = ManyReportsBench.run(sqs, image, baseline, WORK, MANY_REPORTS);
        sections.add(ManyReportsBench.markdown(r));
        assertThat(r.after().reported())
                .as("notifications that carry their report")
                .isEqualTo(r.recordings());
    }

    static String header() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return String.format(
                Locale.ROOT,
                """
                # Benchmarks

                Written by `./mvnw -Pbench verify` on %s, commit `%s`: %d cores, %.1f GiB of memory, %s %s (%s).
                Everything runs on this machine: ElasticMQ, the AWS stand-in and the benchmark share its cores with
                the recorder, and PostgreSQL is local.

                """,
                LocalDate.now(),
                commit(),
                Runtime.getRuntime().availableProcessors(),
                os.getTotalMemorySize() / (1024.0 * 1024 * 1024),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }

    static String commit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").start();
            String out = new String(git.getInputStream().readAllBytes()).trim();
            Process dirty = new ProcessBuilder("git", "status", "--porcelain", "--", "src", "pom.xml").start();
            boolean changed = !new String(dirty.getInputStream().readAllBytes()).isBlank();
            return out + (changed ? " (with uncommitted changes)" : "");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }
}
