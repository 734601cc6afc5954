package dev.vpcflowlogs.packaging;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged jar run as its own process, with an environment of the test's choosing and nothing inherited that
 * names AWS: the way a container runs it, credentials included.
 */
final class RecorderProcess implements AutoCloseable {

    static final Path JAR = Path.of("target/vpc-flowlogs-recorder.jar");
    static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private RecorderProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts the jar with these arguments and environment variables; the inherited environment keeps only what a
     * JVM needs (no {@code AWS_*} variable, no home directory with an AWS profile).
     */
    static RecorderProcess start(Path dir, Map<String, String> environment, List<String> arguments) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(JAVA, "-XX:+UseSerialGC", "-Xmx256m", "-jar"));
        command.add(JAR.toAbsolutePath().toString());
        command.add("--server.port=" + port);
        command.addAll(arguments);
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Path log = dir.resolve("recorder.log");
        builder.redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : List.of("PATH", "LANG", "TZ")) {
            if (System.getenv(name) != null) {
                kept.put(name, System.getenv(name));
            }
        }
        env.clear();
        env.putAll(kept);
        // The SDK looks for ~/.aws/config and ~/.aws/credentials; a home of its own holds none.
        env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        // Off EC2 the SDK's last resort, instance metadata, would only time out; on an EC2 build machine it would
        // find the machine's role and hide a source that did not work.
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.putAll(environment);
        return new RecorderProcess(builder.start(), log, port);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits until readiness answers 200, or fails with the recorder's log. */
    RecorderProcess awaitReady() {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .failFast("the recorder exited:\n" + logTail(), () -> !process.isAlive())
                .ignoreExceptions()
                .until(() -> get("/actuator/health/readiness").statusCode() == 200);
        return this;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET as a console user (HTTP Basic): health components and their details are for users only. */
    HttpResponse<String> getAs(String user, String password, String path) throws IOException, InterruptedException {
        String basic = java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Basic " + basic)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    String logTail() {
        List<String> lines = log().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** SIGTERM, as the platform stops a container, and the wait for its graceful shutdown. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
