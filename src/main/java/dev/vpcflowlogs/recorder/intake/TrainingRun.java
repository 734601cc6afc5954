package dev.vpcflowlogs.recorder.intake;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.system.StoreReady;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The image's training run ({@code --recorder.training-run=true}, Dockerfile): the JVM's ahead-of-time cache keeps
 * the classes a run loaded and the profiles of the methods it ran, so a run that stopped once the context was
 * refreshed left out what readiness and the first spike need. Once ready, this asks for readiness and metrics as a
 * probe and a scrape do, and hands the listener an ALARM and its OK for the first watched gateway as the queue would.
 * AWS is out of reach in an image build: {@link TrainingAws} answers at {@code spring.cloud.aws.endpoint} the EC2 calls
 * of a spike (so its flow logs are made and deleted, the way a real spike goes) and refuses the rest, which then fail
 * at once, their classes loaded on the way. Then it stops the recorder. Without the setting it does nothing.
 */
@Component
class TrainingRun {

    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

    private final AlarmEventListener listener;
    private final RecorderProperties properties;
    private final ConfigurableApplicationContext context;
    private final TaskScheduler scheduler;
    private final @Nullable TrainingAws aws;

    TrainingRun(
            AlarmEventListener listener,
            RecorderProperties properties,
            ConfigurableApplicationContext context,
            TaskScheduler scheduler)
            throws IOException {
        this.context = context;
        this.scheduler = scheduler;
        this.listener = listener;
        this.properties = properties;
        // Before anything calls AWS: the clients are made, but they call nothing until the context is refreshed.
        this.aws = enabled()
                ? TrainingAws.at(URI.create(context.getEnvironment().getRequiredProperty("spring.cloud.aws.endpoint")))
                : null;
    }

    private boolean enabled() {
        return context.getEnvironment().getProperty("recorder.training-run", Boolean.class, false);
    }

    @PreDestroy
    void stopAnswering() {
        if (aws != null) {
            aws.close();
        }
    }

    /** Once the store is ready (its schema migrated), on a thread of the scheduler's: the others go on meanwhile. */
    @EventListener(StoreReady.class)
    void storeReady() {
        if (enabled()) {
            scheduler.schedule(this::train, Instant.now());
        }
    }

    private void train() {
        if (context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            int port = Objects.requireNonNull(web.getWebServer()).getPort();
            get(port, "/actuator/health/readiness");
            get(port, "/actuator/health");
            get(port, "/actuator/prometheus");
        }
        TrainingAws ec2 = Objects.requireNonNull(aws);
        properties.natGateways().stream().findFirst().ifPresent(g -> {
            spike(g.id(), "ALARM");
            awaitUntil(() -> ec2.answered("CreateFlowLogs") > 0);
            log.info("Training run: {} flow log call(s) answered.", ec2.answered("CreateFlowLogs"));
            spike(g.id(), "OK");
            // The report comes minutes later (recorder.report.delay) and is left out: the cache holds what a start
            // and a spike need, and every class in it is loaded at every start.
            awaitUntil(() -> ec2.answered("DeleteFlowLogs") > 0);
        });
        log.info("Training run over; the recorder stops.");
        System.exit(SpringApplication.exit(context));
    }

    /** At most 20 s: a training run that misses a step still ends, with what it ran. */
    private static void awaitUntil(BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try {
            while (!done.getAsBoolean() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void get(int port, String path) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(30))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            log.info("Training run: GET {} answered {}.", path, response.statusCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.info("Training run: GET {} failed ({}).", path, e.toString());
        }
    }

    /** How CloudWatch writes a state's timestamp: 2026-11-20T09:14:41.205+0000. */
    private static final DateTimeFormatter STATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    /** An alarm's state change, as EventBridge puts it on the queue. */
    private void spike(String gateway, String state) {
        String event = String.format(
                """
                {"version":"0","id":"training-%1$s","detail-type":"CloudWatch Alarm State Change",\
                "source":"aws.cloudwatch","account":"000000000000","time":"%2$s","region":"us-east-1",\
                "resources":["arn:aws:cloudwatch:us-east-1:000000000000:alarm:training"],\
                "detail":{"alarmName":"training","state":{"value":"%1$s","reason":"training","timestamp":"%4$s"},\
                "previousState":{"value":"OK","reason":"training","timestamp":"%4$s"},"configuration":{"metrics":[\
                {"id":"m1","metricStat":{"metric":{"namespace":"AWS/NATGateway","name":"BytesOutToDestination",\
                "dimensions":{"NatGatewayId":"%3$s"}},"period":60,"stat":"Sum"},"returnData":true}]}}}""",
                state, Instant.now().truncatedTo(ChronoUnit.SECONDS), gateway, STATE_TIME.format(Instant.now()));
        try {
            listener.onMessage(MessageBuilder.withPayload(event).build());
            log.info("Training run: the {} of {} was handled.", state, gateway);
        } catch (RuntimeException e) {
            // The training endpoint answers a spike's EC2 calls: a failure here means the run trained less.
            log.warn("Training run: the {} of {} failed ({}).", state, gateway, e.toString());
        }
    }
}
