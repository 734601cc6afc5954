package dev.vpcflowlogs.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.e2e.Events;
import dev.vpcflowlogs.recorder.e2e.LocalSqs;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as the Dockerfile uses it (no Docker engine is needed): its layers are the ones the Dockerfile
 * copies, in that order, and the extracted layers start the recorder with the image's entry point and memory flags.
 */
class ContainerLayoutIT {

    static final Path JAR = Path.of("target/vpc-flowlogs-recorder.jar");
    static final Path DOCKERFILE = Path.of("Dockerfile");
    static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();

    static String run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }

    @Test
    void theDockerfileCopiesEveryLayerOfTheJarInOrder() throws Exception {
        List<String> layers = run(Path.of("."), JAVA, "-Djarmode=tools", "-jar", JAR.toString(), "list-layers")
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
        List<String> copied = new ArrayList<>();
        Matcher m = Pattern.compile("COPY --from=build /build/extracted/([\\w-]+)/ \\./")
                .matcher(Files.readString(DOCKERFILE));
        while (m.find()) {
            copied.add(m.group(1));
        }

        assertThat(copied).isEqualTo(layers);
    }

    @Test
    void theExtractedLayersStartTheRecorderWithTheImagesEntryPointAndMemoryFlags(@TempDir Path app) throws Exception {
        run(
                Path.of("."),
                JAVA,
                "-Djarmode=tools",
                "-jar",
                JAR.toString(),
                "extract",
                "--layers",
                "--launcher",
                "--destination",
                app.toString());
        Path merged = Files.createDirectories(app.resolve("app"));
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            copyTree(app.resolve(layer), merged);
        }
        String dockerfile = Files.readString(DOCKERFILE);
        Matcher options = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]+)\"").matcher(dockerfile);
        assertThat(options.find()).isTrue();
        Matcher entry =
                Pattern.compile("ENTRYPOINT \\[\"java\", \"([\\w.]+)\"]").matcher(dockerfile);
        assertThat(entry.find()).isTrue();
        Path tmp = Files.createDirectories(app.resolve("tmp"));
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        try (LocalSqs sqs = LocalSqs.start();
                AwsStandIn aws = AwsStandIn.start().natGateway(Events.SAMPLE_GATEWAY, "eni-0a00000000000000a")) {
            sqs.createQueueWithDeadLetterQueue("vpc-flowlogs-recorder-events", 3);
            List<String> command = new ArrayList<>(List.of(JAVA));
            for (String option : options.group(1).split(" ")) {
                command.add(option.replace("/tmp", tmp.toString()));
            }
            command.addAll(List.of(
                    "-cp",
                    ".",
                    entry.group(1),
                    "--server.port=" + port,
                    "--spring.cloud.aws.region.static=us-east-1",
                    "--spring.cloud.aws.credentials.access-key=local",
                    "--spring.cloud.aws.credentials.secret-key=local",
                    "--spring.cloud.aws.endpoint=" + aws.endpoint(),
                    "--spring.cloud.aws.sqs.endpoint=" + sqs.endpoint(),
                    "--recorder.nat-gateways[0].id=" + Events.SAMPLE_GATEWAY,
                    "--recorder.flow-logs.delivery-role-arn=arn:aws:iam::123456789012:role/delivery"));
            Process recorder = new ProcessBuilder(command)
                    .directory(merged.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(app.resolve("recorder.log").toFile())
                    .start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                await().atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .until(() -> http.send(
                                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                                                + "/actuator/health/readiness"))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .statusCode()
                                == 200);
                String log = Files.readString(app.resolve("recorder.log"));
                assertThat(log).contains("Started RecorderApplication");
                log.lines()
                        .filter(l -> l.contains("Started RecorderApplication"))
                        .forEach(System.out::println);
                assertThat(merged.resolve("data")).isDirectory();
            } finally {
                recorder.destroy();
                recorder.waitFor();
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        try (var paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
