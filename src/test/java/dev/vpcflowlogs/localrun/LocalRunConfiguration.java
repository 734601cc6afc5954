package dev.vpcflowlogs.localrun;

import dev.vpcflowlogs.recorder.e2e.Events;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** What only the local run has: a {@code spike} endpoint that plays an alarm, and instructions on start. */
@TestConfiguration(proxyBeanMethods = false)
class LocalRunConfiguration {

    private static final Logger log = LoggerFactory.getLogger(LocalRunConfiguration.class);

    @Bean
    SpikeEndpoint spikeEndpoint(SqsAsyncClient sqs) {
        return new SpikeEndpoint(sqs);
    }

    @Bean
    Instructions instructions(Environment environment) {
        return new Instructions(environment);
    }

    /** {@code POST /actuator/spike}: an ALARM event now, its OK {@code seconds} later (20 by default). */
    @Endpoint(id = "spike")
    static class SpikeEndpoint {

        private final SqsAsyncClient sqs;
        private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

        SpikeEndpoint(SqsAsyncClient sqs) {
            this.sqs = sqs;
        }

        @WriteOperation
        Map<String, Object> spike(@Nullable Integer seconds) {
            int okAfter = seconds == null ? 20 : seconds;
            Instant now = Instant.now();
            send(Events.alarm(LocalRecorder.GATEWAY, now));
            later.schedule(SpikeEndpoint::writeSampleRecords, 5, TimeUnit.SECONDS);
            later.schedule(
                    () -> send(Events.ok(LocalRecorder.GATEWAY, now.plusSeconds(okAfter))), okAfter, TimeUnit.SECONDS);
            log.info("Local spike: ALARM sent for {}; its OK follows in {}s.", LocalRecorder.GATEWAY, okAfter);
            return Map.of("gateway", LocalRecorder.GATEWAY, "alarmAt", now, "okAt", now.plusSeconds(okAfter));
        }

        /** What flow logs would deliver for the spike, written to the stand-in's CloudWatch Logs. */
        static void writeSampleRecords() {
            long now = System.currentTimeMillis();
            List<List<String>> records = LocalRecorder.sampleRecords();
            for (int i = 0; i < records.size(); i++) {
                LocalRecorder.aws.flowLogRecords(
                        LocalRecorder.LOG_GROUP, LocalRecorder.INTERFACES.get(i), now, records.get(i));
            }
            log.info("Local spike: sample flow log records written to the stand-in's CloudWatch Logs.");
        }

        private void send(String body) {
            String url = sqs.getQueueUrl(r -> r.queueName(LocalRecorder.QUEUE))
                    .join()
                    .queueUrl();
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(body)).join();
        }
    }

    static class Instructions {

        private final Environment environment;

        Instructions(Environment environment) {
            this.environment = environment;
        }

        @EventListener(ApplicationReadyEvent.class)
        void print() {
            String base = "http://localhost:" + environment.getProperty("local.server.port", "8080");
            String tail = environment.getProperty("recorder.recording.tail");
            String user = LocalRecorder.password == null
                    ? "<user>:<password>"
                    : LocalRecorder.OPERATOR + ":" + LocalRecorder.password;
            log.info(
                    """

                    ==========================================================================================
                     vpc-flowlogs-recorder runs locally: H2 in ./data, ElasticMQ and the AWS stand-in in process.
                     It watches NAT gateway {} (two network interfaces).

                     Console:      {}/  (log in as {}, password {}; made up for this run)

                     Play a spike (ALARM now, OK after 20 s; the recording stops {} after the OK):
                       curl -u {} -X POST {}/actuator/spike -H 'Content-Type: application/json' -d '{"seconds": 20}'

                     Then watch:   curl -u {} {}/actuator/recordings
                     Health:       curl -u {} {}/actuator/health   (without -u: the status alone)
                     Metrics:      curl -s {}/actuator/prometheus | grep '^recorder_'
                     The notification, with its spike report, appears in this log {} after the recording ends.
                    ==========================================================================================
                    """,
                    LocalRecorder.GATEWAY,
                    base,
                    LocalRecorder.OPERATOR,
                    LocalRecorder.password == null ? "as configured" : LocalRecorder.password,
                    tail,
                    user,
                    base,
                    user,
                    base,
                    user,
                    base,
                    base,
                    environment.getProperty("recorder.report.delay"));
        }
    }
}
