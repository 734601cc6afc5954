package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** PostgreSQL unreachable for a while: nothing is lost, readiness says why, and processing resumes by itself. */
class StoreOutageIT extends EndToEndSupport {

    @Override
    AwsStandIn standIn() {
        return AwsStandIn.start().natGateway(SAMPLE_GATEWAY, "eni-0a00000000000000a", "eni-0b00000000000000b");
    }

    @Test
    void eventsDuringAnOutageAreHandledOnceTheDatabaseIsBack() throws Exception {
        URI postgres = URI.create(RecorderHarness.postgresUrl().substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(postgres.getPort() < 0 ? 5432 : postgres.getPort())) {
            String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + postgres.getPath() + "?currentSchema="
                    + recorder.schema();
            // As deployed, the queue outlasts the outage and the pool's recovery after it (the harness's default queue
            // dead-letters after 2 receives, which a slow reconnect can use up).
            recorder.deadLetterAfter(10)
                    .with("spring.datasource.url", url)
                    .with("spring.datasource.hikari.connection-timeout", 1000)
                    .start();
            Instant t = Instant.now();
            recorder.send(Events.alarm(SAMPLE_GATEWAY, t));
            await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 2);

            proxy.cut();
            recorder.send(Events.ok(SAMPLE_GATEWAY, t.plusSeconds(1)));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> recorder.count("recorder.events", "outcome", "transient") >= 1);
            var readiness = recorder.get("/actuator/health/readiness");
            assertThat(readiness.getKey()).isEqualTo(503);
            assertThat(readiness.getValue()).contains("\"db\"", "DOWN");
            assertThat(aws.flowLogs()).hasSize(2);

            proxy.restore();

            await().atMost(Duration.ofSeconds(60)).until(() -> aws.flowLogs().isEmpty());
            await().atMost(Duration.ofSeconds(20)).until(() -> aws.published().size() == 1);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> recorder.get("/actuator/health/readiness").getKey() == 200);
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.queueDepth() == 0);
            assertThat(recorder.deadLetterDepth()).isZero();
        }
    }

    @Test
    void anOutageAsLongAsTheRecorderSaysItSurvivesDeadLettersNoEventAndEveryRecordingCompletes() throws Exception {
        URI postgres = URI.create(RecorderHarness.postgresUrl().substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(postgres.getPort() < 0 ? 5432 : postgres.getPort())) {
            String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + postgres.getPath() + "?currentSchema="
                    + recorder.schema();
            recorder.deadLetterAfter(6)
                    .with("spring.datasource.url", url)
                    .with("spring.datasource.hikari.connection-timeout", 1000)
                    .with("recorder.intake.first-retry-delay", "1s")
                    .with("recorder.intake.max-retry-delay", "2s")
                    .start();
            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> recorder.get("/actuator/health/queue").getValue(),
                            b -> b.contains("survivesOutagesOf"));
            // Receives 2 to 6 come 1, 2, 2, 2 and 2 s after the one before.
            Duration survives = Duration.ofSeconds(9);
            assertThat(recorder.get("/actuator/health/queue").getValue())
                    .contains("\"survivesOutagesOf\":\"" + survives + "\"");

            proxy.cut();
            recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
            // The whole stated outage: the event keeps coming back, and is never dead-lettered.
            await().during(survives)
                    .atMost(survives.plusSeconds(5))
                    .until(() ->
                            recorder.deadLetterDepth() == 0 && aws.flowLogs().isEmpty());
            assertThat(recorder.count("recorder.events", "outcome", "transient"))
                    .isGreaterThanOrEqualTo(2);
            proxy.restore();

            await().atMost(Duration.ofSeconds(30)).until(() -> aws.flowLogs().size() == 2);
            recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
            assertThat(aws.flowLogs()).isEmpty();
            assertThat(recorder.deadLetterDepth()).isZero();
            assertThat(recorder.count("recorder.events.dead_lettered")).isZero();
            assertThat(recorder.get("/actuator/recordings").getValue())
                    .contains("\"state\":\"COMPLETED\"")
                    .doesNotContain("\"state\":\"FAILED\"");
        }
    }
}
