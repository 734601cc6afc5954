package dev.vpcflowlogs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Part 4: the report engine against DuckDB on the same file, each in a JVM of its own. */
final class EngineBench {

    record Run(String contender, long records, long medianNanos, long peakRss, String answer) {
        double recordsPerSecond() {
            return records / (medianNanos / 1e9);
        }
    }

    record Result(long records, long fileBytes, Run engine, Run duckdb) {
        boolean agree() {
            return engine.answer().equals(duckdb.answer());
        }
    }

    private EngineBench() {}

    static Result run(Path dir, long records, int runs, List<String> jvmFlags) throws Exception {
        Path file = FlowLogFile.write(dir.resolve("flowlogs-" + records + ".txt"), records, 20261126L);
        Run engine = contender("engine", file, records, runs, jvmFlags, dir);
        Run duckdb = contender("duckdb", file, records, runs, jvmFlags, dir);
        return new Result(records, Files.size(file), engine, duckdb);
    }

    private static Run contender(String name, Path file, long records, int runs, List<String> jvmFlags, Path dir)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                EngineRun.class.getName(),
                name,
                file.toString(),
                "" + runs));
        Path log = dir.resolve(name + "-" + records + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(name + " failed; see " + log);
        }
        List<Long> times = new ArrayList<>();
        String answer = null;
        long peak = 0;
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("TIME ")) {
                times.add(Long.parseLong(line.substring(5)));
            } else if (line.startsWith("ANSWER ")) {
                answer = line.substring(7);
            } else if (line.startsWith("PEAK_RSS ")) {
                peak = Long.parseLong(line.substring(9));
            }
        }
        if (times.isEmpty() || answer == null) {
            throw new IllegalStateException(name + " printed no result; see " + log);
        }
        Collections.sort(times);
        return new Run(name, records, times.get(times.size() / 2), peak, answer);
    }
}
