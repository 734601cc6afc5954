package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.RecorderApplication;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The recorder as a separate JVM, killed with SIGKILL at each step of a recording and started again: every run
 * ends with none of its flow logs left, no duplicate flow log and one notification. The stand-in holds the AWS call
 * of the step, so the kill lands exactly there.
 */
class CrashIT extends EndToEndSupport {

    static final String ENI_A = "eni-0a00000000000000a";
    static final String ENI_B = "eni-0b00000000000000b";

    /** Where the recorder dies. */
    enum Step {
        /** The recording is stored as STARTING; nothing exists in AWS yet. */
        AFTER_THE_CLAIM("DescribeNatGateways", true),
        /** CreateFlowLogs made the flow logs; the store does not know them. */
        AFTER_CREATE_BEFORE_THE_STORE("CreateFlowLogs", false),
        /** STOPPING is stored; DeleteFlowLogs has not happened. */
        DURING_THE_STOP("DeleteFlowLogs", true),
        /** DeleteFlowLogs happened; the store still says STOPPING. */
        AFTER_THE_DELETE_BEFORE_THE_STORE("DeleteFlowLogs", false);

        final String action;
        final boolean before;

        Step(String action, boolean before) {
            this.action = action;
            this.before = before;
        }
    }

    /** The recorders' own logs, kept after the test for whoever reads a failure. */
    final Path logs = Path.of("target", "crash-logs", String.valueOf(System.nanoTime()));

    final List<Process> processes = new ArrayList<>();

    @Override
    AwsStandIn standIn() {
        return AwsStandIn.start().natGateway(SAMPLE_GATEWAY, ENI_A, ENI_B);
    }

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    Process startJvm(int port, String name) throws Exception {
        Files.createDirectories(logs);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                RecorderApplication.class.getName()));
        command.addAll(List.of(recorder.with("server.port", port).arguments()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile())
                .start();
        processes.add(process);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> http.send(
                                        HttpRequest.newBuilder(URI.create(
                                                        "http://127.0.0.1:" + port + "/actuator/health/readiness"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200);
        return process;
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void aRecorderKilledAtAnyStepLeavesNothingBehindAndNotifiesOnce(Step step) throws Exception {
        recorder.with("recorder.recording.tail", "1s").with("recorder.recording.max-duration", "2m");
        int port = freePort();
        if (step.before) {
            aws.holdBefore(step.action);
        } else {
            aws.holdAfter(step.action);
        }
        Process first = startJvm(port, "first");
        Instant t = Instant.now();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, t));
        if (step.action.equals("DeleteFlowLogs")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> aws.flowLogs().size() == 2);
            recorder.send(Events.ok(SAMPLE_GATEWAY, t.plusSeconds(1)));
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> !aws.calls(step.action).isEmpty());
        first.destroyForcibly().waitFor();
        aws.releaseHolds();

        startJvm(port, "second");
        if (!step.action.equals("DeleteFlowLogs")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> aws.flowLogs().size() == 2);
            recorder.send(Events.ok(SAMPLE_GATEWAY, t.plusSeconds(1)));
        }

        await().atMost(Duration.ofSeconds(90))
                .until(() -> aws.flowLogs().isEmpty() && aws.published().size() == 1);
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> aws.published().size() == 1);
        assertThat(aws.flowLogsCreated()).as("no duplicate flow log").isEqualTo(2);
        assertThat(aws.published().get(0).subject()).startsWith("Flow logs recorded on " + SAMPLE_GATEWAY);
        assertThat(Files.readString(logs.resolve("second.log"))).doesNotContain("ERROR");
    }
}
