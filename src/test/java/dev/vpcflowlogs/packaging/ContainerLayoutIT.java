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
import java.util.List;
import java.util.Map;
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
        List<String> copied = ContainerImage.copiedLayers(Files.readString(DOCKERFILE));

        assertThat(copied).isEqualTo(layers);
    }

    @Test
    void theImagesAppStartsTheRecorderOnJava25WithItsEntryPointFlagsAndAheadOfTimeCache(@TempDir Path dir)
            throws Exception {
        ContainerImage image = ContainerImage.assemble(DOCKERFILE, JAR, dir);
        assertThat(image.javaVersion()).as("the runtime stage's Java").isEqualTo(25);
        assertThat(image.app().resolve("vpc-flowlogs-recorder.aot"))
                .as("the training run made the ahead-of-time cache")
                .isRegularFile();
        assertThat(dir.resolve(ContainerImage.TRAINING_LOG))
                .as("the training run took a spike the whole way, its flow logs made and deleted, so the first spike"
                        + " after a start finds its path in the cache")
                .content()
                .contains("STARTING -> RECORDING (flow-logs-created)", "STOPPING -> COMPLETED");
        assertThat(image.javaToolOptions(dir))
                .contains("-XX:AOTCache=vpc-flowlogs-recorder.aot", "-XX:+UseCompactObjectHeaders");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        try (LocalSqs sqs = LocalSqs.start();
                AwsStandIn aws = AwsStandIn.start().natGateway(Events.SAMPLE_GATEWAY, "eni-0a00000000000000a")) {
            sqs.createQueueWithDeadLetterQueue("vpc-flowlogs-recorder-events", 3);
            List<String> command = image.command(
                    tmp,
                    // The memory of the 512 MiB task, which the JVM sizes its heap from: the cache's archived heap
                    // objects must fit the initial heap, or the JVM refuses to start.
                    List.of("-Xlog:aot=info", "-XX:MaxRAM=512m"),
                    List.of(
                            "--server.port=" + port,
                            "--spring.cloud.aws.region.static=us-east-1",
                            "--spring.cloud.aws.credentials.access-key=local",
                            "--spring.cloud.aws.credentials.secret-key=local",
                            "--spring.cloud.aws.endpoint=" + aws.endpoint(),
                            "--spring.cloud.aws.sqs.endpoint=" + sqs.endpoint(),
                            "--recorder.nat-gateways[0].id=" + Events.SAMPLE_GATEWAY,
                            "--recorder.flow-logs.delivery-role-arn=arn:aws:iam::123456789012:role/delivery"));
            Process recorder = new ProcessBuilder(command)
                    .directory(image.app().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("recorder.log").toFile())
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
                String log = Files.readString(dir.resolve("recorder.log"));
                assertThat(log).contains("Started RecorderApplication");
                assertThat(log)
                        .as("the ahead-of-time cache was mapped")
                        .contains("Opened AOT cache vpc-flowlogs-recorder.aot")
                        .contains("Java 25");
                log.lines()
                        .filter(l -> l.contains("Started RecorderApplication"))
                        .forEach(System.out::println);
                assertThat(image.app().resolve("data")).isDirectory();
                assertThat(ecsHealthCheck(port))
                        .as("the ECS health check passes on a live recorder")
                        .isZero();
            } finally {
                recorder.destroy();
                recorder.waitFor();
            }
            assertThat(ecsHealthCheck(port)).as("and fails once it is gone").isNotZero();
        }
    }

    /** The task definition's health check command, run with bash as ECS runs it in the container, on this port. */
    @SuppressWarnings("unchecked")
    static int ecsHealthCheck(int port) throws Exception {
        Map<String, Object> resources = (Map<String, Object>)
                CloudFormationTemplate.load(Path.of("deploy/recorder-aws.yaml")).get("Resources");
        Map<String, Object> task =
                (Map<String, Object>) ((Map<String, Object>) resources.get("TaskDefinition")).get("Properties");
        Map<String, Object> container = ((List<Map<String, Object>>) task.get("ContainerDefinitions")).get(0);
        List<String> command = (List<String>) ((Map<String, Object>) container.get("HealthCheck")).get("Command");
        assertThat(command.subList(0, 3)).containsExactly("CMD", "bash", "-c");
        String script = command.get(3).replace("127.0.0.1/8080", "127.0.0.1/" + port);
        Process check = new ProcessBuilder("bash", "-c", script)
                .redirectErrorStream(true)
                .start();
        check.getInputStream().readAllBytes();
        return check.waitFor();
    }
}
