package dev.vpcflowlogs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A task's size on this machine: a CPU quota and a memory limit as cgroup v1 groups of their own (as root), which
 * Fargate's and Kubernetes' limits are. A process joins them before the JVM starts, so the JVM reads them as a
 * container's JVM does (its active processors from the quota, its heap from the limit).
 */
final class TaskLimits implements AutoCloseable {

    static final Path CPU = Path.of("/sys/fs/cgroup/cpu");
    static final Path MEMORY = Path.of("/sys/fs/cgroup/memory");
    static final int PERIOD_MICROS = 100_000;

    private final Path cpu;
    private final Path memory;
    private final double cores;
    private final long memoryBytes;

    private TaskLimits(double cores, long memoryBytes) throws IOException {
        String name = "vfr-bench-" + UUID.randomUUID().toString().substring(0, 8);
        this.cores = cores;
        this.memoryBytes = memoryBytes;
        this.cpu = Files.createDirectory(CPU.resolve(name));
        this.memory = Files.createDirectory(MEMORY.resolve(name));
        Files.writeString(cpu.resolve("cpu.cfs_period_us"), Integer.toString(PERIOD_MICROS));
        Files.writeString(cpu.resolve("cpu.cfs_quota_us"), Long.toString(Math.round(cores * PERIOD_MICROS)));
        Files.writeString(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
    }

    /** {@code cores} of CPU time (0.25: 25 ms every 100 ms) and {@code memoryMib} of memory. */
    static TaskLimits of(double cores, int memoryMib) throws IOException {
        return new TaskLimits(cores, memoryMib * 1024L * 1024L);
    }

    /** Whether this machine lets the benchmark make cgroup v1 groups (root, the controllers mounted). */
    static boolean available() {
        return Files.isWritable(CPU.resolve("cgroup.procs")) && Files.isWritable(MEMORY.resolve("cgroup.procs"));
    }

    /** The command, run by a shell that first moves itself into the groups, then becomes the command. */
    List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of(
                "sh",
                "-c",
                "echo $$ > " + cpu.resolve("cgroup.procs") + " && echo $$ > " + memory.resolve("cgroup.procs")
                        + " && exec \"$@\"",
                "sh"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** CPU time the group's processes used, from {@code cpuacct} when it shares the hierarchy, else -1. */
    double cpuSeconds() {
        Path usage = cpu.resolve("cpuacct.usage");
        try {
            return Files.exists(usage) ? Long.parseLong(Files.readString(usage).trim()) / 1e9 : -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s vCPU, %d MiB", cores == 0.25 ? "¼" : cores, memoryBytes >> 20);
    }

    /** Removes the groups, once their processes have ended. */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(cpu);
        Files.deleteIfExists(memory);
    }
}
