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

/**
 * The recorder as a separate JVM, killed with SIGKILL at each step of a recording and started again, on each store it
 * supports (the embedded H2 file, as a user runs the jar, and PostgreSQL): every run ends with none of its flow logs
 * left, no duplicate flow log and one notification. The stand-in holds the AWS call of the step, so the kill lands
 * exactly there; or holds nothing, and the kill comes as soon as the call has answered.
 */
class CrashIT extends EndToEndSupport {

    static final String ENI_A = "eni-0a00000000000000a";
    static final String ENI_B = "eni-0b00000000000000b";

    /** Where the recorder dies. */
    enum Step {
        /** The recording is stored as STARTING; nothing exists in AWS yet. */
        AFTER_THE_CLAIM("DescribeNatGateways", Hold.BEFORE),
        /** CreateFlowLogs made the flow logs; the store does not know them. */
        AFTER_CREATE_BEFORE_THE_STORE("CreateFlowLogs", Hold.AFTER),
        /**
         * CreateFlowLogs answered, and the recorder goes on at full speed: killed within milliseconds of the commits
         * that surround the call (an embedded store that flushes commits late would lose them).
         */
        RIGHT_AFTER_CREATE_RETURNS("CreateFlowLogs", Hold.NONE),
        /** STOPPING is stored; DeleteFlowLogs has not happened. */
        DURING_THE_STOP("DeleteFlowLogs", Hold.BEFORE),
        /** DeleteFlowLogs happened; the store still says STOPPING. */
        AFTER_THE_DELETE_BEFORE_THE_STORE("DeleteFlowLogs", Hold.AFTER);

        final String action;
        final Hold hold;

        Step(String action, Hold hold) {
            this.action = action;
            this.hold = hold;
        }
    }

    enum Hold {
        BEFORE,
        AFTER,
        NONE
    }

    /** The stores a recorder runs on. */
    enum Store {
        /** The default: an H2 file, as a user who runs the jar has it. */
        H2,
        POSTGRESQL
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> stepsOnEachStore() {
        return java.util.Arrays.stream(Store.values()).flatMap(store -> java.util.Arrays.stream(Step.values())
                .map(step -> org.junit.jupiter.params.provider.Arguments.of(store, step)));
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

    /** The recorder on this store: the harness's PostgreSQL schema, or an H2 file that outlives the process. */
    void onStore(Store store) throws java.io.IOException {
        if (store == Store.H2) {
            Files.createDirectories(logs);
            recorder.with(
                            "spring.datasource.url",
                            "jdbc:h2:file:" + logs.toAbsolutePath().resolve("store"))
                    .with("spring.datasource.username", "sa")
                    .with("spring.datasource.password", "")
                    .without("spring.flyway.schemas")
                    .without("spring.flyway.create-schemas");
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @ParameterizedTest(name = "{0}, killed {1}")
    @org.junit.jupiter.params.provider.MethodSource("stepsOnEachStore")
    void aRecorderKilledAtAnyStepLeavesNothingBehindAndNotifiesOnce(Store store, Step step) throws Exception {
        recorder.with("recorder.recording.tail", "1s").with("recorder.recording.max-duration", "2m");
        onStore(store);
        int port = freePort();
        switch (step.hold) {
            case BEFORE -> aws.holdBefore(step.action);
            case AFTER -> aws.holdAfter(step.action);
            case NONE -> {}
        }
        Process first = startJvm(port, "first");
        Instant t = Instant.now();
        recorder.send(Events.alarm(SAMPLE_GATEWAY, t));
        if (step.action.equals("DeleteFlowLogs")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> aws.flowLogs().size() == 2);
            recorder.send(Events.ok(SAMPLE_GATEWAY, t.plusSeconds(1)));
        }

        if (step.hold == Hold.NONE) {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(2))
                    .until(() -> aws.flowLogs().size() == 2);
        } else {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !aws.calls(step.action).isEmpty());
        }
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

    static boolean shared(java.util.Map<String, String> params) {
        return params.getOrDefault("ClientToken", "").startsWith("vfr-b-");
    }

    static java.util.stream.Stream<Store> stores() {
        return java.util.Arrays.stream(Store.values());
    }

    /**
     * Gateways alarming together share one CreateFlowLogs. Killed once that shared call has made the flow logs and
     * before the store learnt them, the recorder started again sends the same call (same ClientToken) and gets the same
     * flow logs back: each recording owns its own, none is made twice, and each ends with its notification.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("stores")
    void aRecorderKilledInTheMiddleOfASharedStartMakesNoDuplicateAndLosesNoRecording(Store store) throws Exception {
        List<String> gateways = List.of(SAMPLE_GATEWAY, "nat-0b00000000000000b", "nat-0c00000000000000c");
        aws.natGateway(gateways.get(1), "eni-0c00000000000000c").natGateway(gateways.get(2), "eni-0d00000000000000d");
        recorder.with("recorder.recording.tail", "1s")
                .with("recorder.recording.max-duration", "2m")
                // Wide, so that the gateways' starts surely share a call on a busy machine.
                .with("recorder.recording.start-batch-window", "1s")
                .with("recorder.nat-gateways[1].id", gateways.get(1))
                .with("recorder.nat-gateways[2].id", gateways.get(2));
        onStore(store);
        // A shared call (its ClientToken is a batch's): it takes effect, and its answer never reaches the recorder.
        aws.holdAfterIf("CreateFlowLogs", CrashIT::shared);
        int port = freePort();
        Process first = startJvm(port, "first");
        Instant t = Instant.now();
        gateways.forEach(g -> recorder.send(Events.alarm(g, t)));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> aws.calls("CreateFlowLogs").stream().anyMatch(c -> shared(c.params())));
        await().atMost(Duration.ofSeconds(30)).until(() -> aws.flowLogsCreated() == 4);
        first.destroyForcibly().waitFor();
        aws.releaseHolds();

        startJvm(port, "second");
        // Started again, the recordings of the shared call send it again, to the letter.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> aws.calls("CreateFlowLogs").stream()
                                .filter(c -> shared(c.params()))
                                .count()
                        > 1);
        gateways.forEach(g -> recorder.send(Events.ok(g, t.plusSeconds(1))));

        await().atMost(Duration.ofSeconds(90))
                .until(() -> aws.flowLogs().isEmpty() && aws.published().size() == 3);
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> aws.published().size() == 3);
        assertThat(aws.flowLogsCreated()).as("no duplicate flow log").isEqualTo(4);
        assertThat(aws.published()).extracting(AwsStandIn.Published::subject).allSatisfy(subject -> assertThat(subject)
                .startsWith("Flow logs recorded on "));
        assertThat(Files.readString(logs.resolve("second.log"))).doesNotContain("ERROR");
    }

    /**
     * Stops go in the background like starts, several gateways clearing together queue for shared DeleteFlowLogs
     * calls. Killed while they are under way (the first call took effect and its answer never came; the others wait
     * behind it), the recorder started again finds the recordings STOPPING, sends the deletes again when their retry
     * deadlines come (ids already gone count as deleted), and each recording completes with one notification.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("stores")
    void aRecorderKilledWhileStopsAreUnderWayLeavesNoFlowLogAndNotifiesOnce(Store store) throws Exception {
        List<String> gateways = List.of(SAMPLE_GATEWAY, "nat-0b00000000000000b", "nat-0c00000000000000c");
        aws.natGateway(gateways.get(1), "eni-0c00000000000000c", "eni-0c00000000000000e")
                .natGateway(gateways.get(2), "eni-0d00000000000000d", "eni-0d00000000000000f");
        recorder.with("recorder.recording.tail", "1s")
                .with("recorder.recording.max-duration", "2m")
                .with("recorder.recording.retry-delay", "2s")
                .with("recorder.recording.stop-batch-window", "1s")
                .with("recorder.nat-gateways[1].id", gateways.get(1))
                .with("recorder.nat-gateways[2].id", gateways.get(2));
        onStore(store);
        // Every DeleteFlowLogs takes effect and its answer never reaches the recorder: no stop completes before the
        // kill.
        aws.holdAfter("DeleteFlowLogs");
        int port = freePort();
        Process first = startJvm(port, "first");
        Instant t = Instant.now();
        gateways.forEach(g -> recorder.send(Events.alarm(g, t)));
        await().atMost(Duration.ofSeconds(30)).until(() -> aws.flowLogs().size() == 6);
        gateways.forEach(g -> recorder.send(Events.ok(g, t.plusSeconds(1))));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> !aws.calls("DeleteFlowLogs").isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> aws.flowLogs().size() < 6);
        first.destroyForcibly().waitFor();
        aws.releaseHolds();
        assertThat(aws.published()).as("no stop was answered before the kill").isEmpty();

        startJvm(port, "second");
        await().atMost(Duration.ofSeconds(90)).until(() -> aws.published().size() == 3);
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> aws.published().size() == 3);
        assertThat(aws.flowLogs()).isEmpty();
        assertThat(aws.flowLogsCreated()).isEqualTo(6);
        assertThat(aws.published())
                .extracting(p -> p.subject().split(" ")[4])
                .containsExactlyInAnyOrderElementsOf(gateways);
        assertThat(Files.readString(logs.resolve("second.log"))).doesNotContain("ERROR");
    }
}
