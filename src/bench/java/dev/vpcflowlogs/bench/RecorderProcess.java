package dev.vpcflowlogs.bench;

import dev.vpcflowlogs.packaging.ContainerImage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The packaged recorder in a JVM of its own, run as the image runs it: in the image's {@code /app} assembled from the
 * jar as the Dockerfile does (class data archive included), with its entry point, its {@code JAVA_TOOL_OPTIONS} and
 * the container's memory limit.
 */
final class RecorderProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    final List<String> jvmFlags;

    private RecorderProcess(Process process, int port, List<String> jvmFlags) {
        this.process = process;
        this.port = port;
        this.jvmFlags = jvmFlags;
    }

    /** The container's memory limit (the Helm chart's), as the JVM reads it from the cgroup in a container. */
    static final String CONTAINER_MEMORY = "-XX:MaxRAM=512m";

    /** Options besides the image's: the container's memory limit, and {@code -Dbench.jvm.extra} to try others. */
    static List<String> containerOptions() {
        List<String> options = new ArrayList<>(List.of(CONTAINER_MEMORY));
        String extra = System.getProperty("bench.jvm.extra", "").trim();
        if (!extra.isEmpty()) {
            options.addAll(Arrays.asList(extra.split("\\s+")));
        }
        return options;
    }

    /** Starts the image's command in its {@code /app}, as the container would. */
    static RecorderProcess start(ContainerImage image, String[] arguments, Path log) throws IOException {
        return start(image, arguments, log, List.of());
    }

    /** The same, with more JVM options (an alternative to compare). */
    static RecorderProcess start(ContainerImage image, String[] arguments, Path log, List<String> moreOptions)
            throws IOException {
        int port = freePort();
        Path tmp = Files.createDirectories(log.getParent().resolve("tmp"));
        List<String> args = new ArrayList<>(List.of(arguments));
        args.add("--server.port=" + port);
        List<String> options = new ArrayList<>(containerOptions());
        options.addAll(moreOptions);
        List<String> command = image.command(tmp, options, args);
        Process process = new ProcessBuilder(command)
                .directory(image.app().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        List<String> flags = new ArrayList<>(image.javaToolOptions(Path.of("/tmp")));
        flags.addAll(options);
        flags.add(0, "Java " + image.javaVersion() + ":");
        return new RecorderProcess(process, port, flags);
    }

    /**
     * The image's command in its {@code /app} inside a task's limits: the JVM starts in their cgroups and reads the
     * CPU quota and memory limit from them, as in a container (no {@code -XX:MaxRAM} here; {@code -Dbench.jvm.extra}
     * adds options to try).
     */
    static RecorderProcess startIn(TaskLimits limits, ContainerImage image, String[] arguments, Path log)
            throws IOException {
        int port = freePort();
        Path tmp = Files.createDirectories(log.getParent().resolve("tmp"));
        List<String> args = new ArrayList<>(List.of(arguments));
        args.add("--server.port=" + port);
        List<String> extra = containerOptions().subList(1, containerOptions().size());
        Process process = new ProcessBuilder(limits.wrap(image.command(tmp, extra, args)))
                .directory(image.app().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        List<String> flags = new ArrayList<>(image.javaToolOptions(Path.of("/tmp")));
        flags.addAll(extra);
        flags.add(0, "Java " + image.javaVersion() + ", " + limits + ":");
        return new RecorderProcess(process, port, flags);
    }

    /**
     * The image's options before Java 25: class data sharing (an archive of the classes a training run loaded), the
     * Serial collector, half the memory for the heap. The JVM is the build's (the Java 17 the jar is compiled for).
     */
    static List<String> optionsBefore(Path tmp) {
        return List.of(
                "-XX:SharedArchiveFile=" + ARCHIVE_BEFORE,
                "-XX:+UseSerialGC",
                "-XX:MaxRAMPercentage=50",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.io.tmpdir=" + tmp.toAbsolutePath());
    }

    static final String ARCHIVE_BEFORE = "before-java-25.jsa";

    /** Starts the image's {@code /app} as the image ran it before Java 25, its archive trained first if need be. */
    static RecorderProcess startAsBefore(ContainerImage image, String[] arguments, Path log)
            throws IOException, InterruptedException {
        if (!Files.exists(image.app().resolve(ARCHIVE_BEFORE))) {
            List<String> training = new ArrayList<>();
            training.add(ContainerImage.JAVA);
            training.add("-XX:ArchiveClassesAtExit=" + ARCHIVE_BEFORE);
            training.add("-XX:+UseSerialGC");
            image.trainingRun().stream()
                    .skip(1)
                    .filter(o -> !o.startsWith("-XX:AOTCacheOutput")
                            && !o.equals("-XX:+UseCompactObjectHeaders")
                            && !o.equals("-XX:+UseSerialGC"))
                    .forEach(training::add);
            Process train = new ProcessBuilder(training)
                    .directory(image.app().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(
                            log.resolveSibling("before-java-25-training.log").toFile())
                    .start();
            if (train.waitFor() != 0) {
                throw new IllegalStateException("the training run before Java 25 failed: see its log beside " + log);
            }
        }
        int port = freePort();
        Path tmp = Files.createDirectories(log.getParent().resolve("tmp"));
        List<String> args = new ArrayList<>(List.of(arguments));
        args.add("--server.port=" + port);
        List<String> command = image.command(ContainerImage.JAVA, optionsBefore(tmp), containerOptions(), args);
        Process process = new ProcessBuilder(command)
                .directory(image.app().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        List<String> flags = new ArrayList<>(optionsBefore(Path.of("/tmp")));
        flags.addAll(containerOptions());
        flags.add(0, "Java " + Runtime.version().feature() + ":");
        return new RecorderProcess(process, port, flags);
    }

    /** Polls readiness every 10 ms; the time from the process's start to the first 200. */
    Duration awaitReady(Duration atMost) throws InterruptedException {
        Instant started = process.info().startInstant().orElseThrow();
        Instant deadline = Instant.now().plus(atMost);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the recorder exited with " + process.exitValue());
            }
            try {
                if (get("/actuator/health/readiness").statusCode() == 200) {
                    return Duration.between(started, Instant.now());
                }
            } catch (IOException notListeningYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the recorder was not ready within " + atMost);
    }

    int port() {
        return port;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of a Prometheus metric's samples whose labels contain every one of {@code labels}. */
    double metric(String name, String... labels) {
        try {
            double sum = 0;
            for (String line : get("/actuator/prometheus").body().split("\n")) {
                if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                    continue;
                }
                if (Arrays.stream(labels).allMatch(line::contains)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    long procStatus(String field) throws IOException {
        return procStatus(String.valueOf(process.pid()), field);
    }

    /** A line of {@code /proc/<pid>/status} ("self" for this JVM) in bytes: VmRSS now, VmHWM the peak. */
    static long procStatus(String pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
    }

    Memory memory() throws IOException {
        return new Memory(
                procStatus("VmRSS"),
                procStatus("VmHWM"),
                (long) metric("jvm_memory_used_bytes", "area=\"heap\""),
                (long) metric("jvm_memory_committed_bytes", "area=\"heap\""),
                (long) metric("jvm_memory_max_bytes", "area=\"heap\""),
                (long) metric("jvm_classes_loaded_classes"));
    }

    /**
     * Where the resident memory is, for a reader: the process's {@code status} and {@code smaps} (each mapping's
     * resident, anonymous and file-backed pages) into {@code directory}, with the JVM's native memory summary when
     * Native Memory Tracking is on, and with {@code -Dbench.heap.live=true} the heap's live set (a class histogram,
     * which forces a full collection: the figures read after it are no longer the image's own).
     */
    void dumpMemory(Path directory, String name) throws IOException, InterruptedException {
        String pid = String.valueOf(process.pid());
        Files.copy(
                Path.of("/proc", pid, "status"),
                directory.resolve(name + "-status.txt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(
                Path.of("/proc", pid, "smaps"),
                directory.resolve(name + "-smaps.txt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (Boolean.getBoolean("bench.heap.live")) {
            for (String command : List.of("GC.heap_info", "GC.class_histogram", "GC.heap_info")) {
                new ProcessBuilder(
                                Path.of(javaOfProcess()).resolveSibling("jcmd").toString(), pid, command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(
                                directory.resolve(name + "-heap.txt").toFile()))
                        .start()
                        .waitFor();
            }
        }
        if (jvmFlags.stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking="))) {
            Process jcmd = new ProcessBuilder(
                            Path.of(javaOfProcess()).resolveSibling("jcmd").toString(),
                            pid,
                            "VM.native_memory",
                            "summary")
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve(name + "-nmt.txt").toFile())
                    .start();
            jcmd.waitFor();
        }
    }

    /**
     * With {@code -XX:NativeMemoryTracking=summary} among the flags: the JVM's committed memory by category (jcmd),
     * in bytes, largest first.
     */
    java.util.LinkedHashMap<String, Long> nativeMemory() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(
                        Path.of(javaOfProcess()).resolveSibling("jcmd").toString(),
                        String.valueOf(process.pid()),
                        "VM.native_memory",
                        "summary")
                .redirectErrorStream(true)
                .start();
        String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        jcmd.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "-\\s+([\\w ]+?) \\(reserved=\\d+KB, committed=(\\d+)KB")
                .matcher(out);
        List<java.util.Map.Entry<String, Long>> categories = new ArrayList<>();
        while (m.find()) {
            categories.add(java.util.Map.entry(m.group(1).trim(), Long.parseLong(m.group(2)) * 1024));
        }
        categories.sort(java.util.Map.Entry.<String, Long>comparingByValue().reversed());
        java.util.LinkedHashMap<String, Long> result = new java.util.LinkedHashMap<>();
        categories.forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    /**
     * The JVM's own account of where its time went so far ({@code jcmd PerfCounter.print}): seconds spent loading,
     * linking and initializing classes, compiling, collecting garbage and at safepoints, the process's CPU time
     * (user and system, from {@code /proc}), and how many classes came from the cache or archive and how many not.
     */
    java.util.LinkedHashMap<String, Double> timeAccount() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(
                        Path.of(javaOfProcess()).resolveSibling("jcmd").toString(),
                        String.valueOf(process.pid()),
                        "PerfCounter.print")
                .redirectErrorStream(true)
                .start();
        String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        jcmd.waitFor();
        java.util.Map<String, Long> counters = new java.util.HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(eq + 1).matches("\\d+")) {
                counters.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
            }
        }
        double tick = counters.getOrDefault("sun.os.hrt.frequency", 1_000_000_000L);
        java.util.function.ToDoubleFunction<String> seconds = name -> counters.getOrDefault(name, 0L) / tick;
        String[] stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"))
                .replaceAll("^.*\\) ", "")
                .split(" ");
        double cpu = (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / 100.0; // utime, stime in 1/100 s
        java.util.LinkedHashMap<String, Double> account = new java.util.LinkedHashMap<>();
        account.put("process CPU time (user + system, all threads)", cpu);
        account.put("loading, linking and initializing classes", seconds.applyAsDouble("sun.cls.time"));
        account.put("… of which static initializers", seconds.applyAsDouble("sun.cls.classInitTime"));
        account.put("… of which linking", seconds.applyAsDouble("sun.cls.classLinkedTime"));
        account.put("… of which verification", seconds.applyAsDouble("sun.cls.classVerifyTime"));
        account.put(
                "JIT compilation (all compiler threads)",
                seconds.applyAsDouble("sun.ci.standardTime") + seconds.applyAsDouble("sun.ci.osrTime"));
        account.put(
                "garbage collection",
                seconds.applyAsDouble("sun.gc.collector.0.time") + seconds.applyAsDouble("sun.gc.collector.1.time"));
        account.put("safepoints", seconds.applyAsDouble("sun.rt.safepointTime"));
        account.put("classes from the cache or archive (count)", (double)
                counters.getOrDefault("java.cls.sharedLoadedClasses", 0L));
        account.put("classes loaded otherwise (count)", (double) counters.getOrDefault("java.cls.loadedClasses", 0L));
        return account;
    }

    /**
     * Starts the JVM's CPU-time sampler (JFR's {@code jdk.CPUTimeSample}, Java 25): a sample each 10 ms of CPU a
     * thread spends, with its stack. It is a change of a settings file, so on JFR's {@code default} one (about 1%
     * overhead): {@code settings=none} would refuse it.
     */
    void startCpuProfile() throws IOException, InterruptedException {
        jcmd(
                "JFR.start",
                "name=cpu",
                "settings=default",
                "jdk.CPUTimeSample#enabled=true",
                "jdk.CPUTimeSample#throttle=10ms");
    }

    /** Stops the sampler and writes what it recorded to {@code file}. */
    Path stopCpuProfile(Path file) throws IOException, InterruptedException {
        jcmd("JFR.stop", "name=cpu", "filename=" + file.toAbsolutePath());
        return file;
    }

    /** The CPU time (user and system, all threads) this process used so far, from {@code /proc}. */
    Duration cpuTime() throws IOException {
        String[] stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"))
                .replaceAll("^.*\\) ", "")
                .split(" ");
        return Duration.ofMillis((Long.parseLong(stat[11]) + Long.parseLong(stat[12])) * 10); // 1/100 s each
    }

    private String jcmd(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(
                List.of(Path.of(javaOfProcess()).resolveSibling("jcmd").toString(), String.valueOf(process.pid())));
        args.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /** The {@code java} this process runs (jcmd must be of the same version). */
    private String javaOfProcess() {
        return process.info().command().orElseThrow();
    }

    record Memory(long rss, long peakRss, long heapUsed, long heapCommitted, long heapMax, long classes) {}

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
