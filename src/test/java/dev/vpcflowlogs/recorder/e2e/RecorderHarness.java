package dev.vpcflowlogs.recorder.e2e;

import dev.vpcflowlogs.recorder.RecorderApplication;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the real recorder against ElasticMQ, the AWS stand-in and this machine's PostgreSQL (a schema of its own), and
 * lets a test stop and start it again on the same store and queue.
 */
public final class RecorderHarness implements AutoCloseable {

    public static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:vpc-flowlogs-recorder";
    public static final String ROLE = "arn:aws:iam::123456789012:role/vpc-flowlogs-recorder-delivery";
    public static final String LOG_GROUP = "/vpc-flowlogs-recorder/recordings";

    private final LocalSqs sqs;
    private final AwsStandIn aws;
    private String queue;
    private final String schema;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private ConfigurableApplicationContext running;

    public RecorderHarness(LocalSqs sqs, AwsStandIn aws) {
        this.sqs = sqs;
        this.aws = aws;
        String suffix = HexFormat.of().formatHex(randomBytes());
        this.queue = "events-" + suffix;
        this.schema = "e2e_" + suffix;
        sqs.createQueueWithDeadLetterQueue(queue, 2);
        aws.topic(TOPIC);
        properties.put("spring.cloud.aws.region.static", "us-east-1");
        properties.put("spring.cloud.aws.credentials.access-key", "local");
        properties.put("spring.cloud.aws.credentials.secret-key", "local");
        properties.put("spring.cloud.aws.endpoint", aws.endpoint().toString());
        properties.put("spring.cloud.aws.sqs.endpoint", sqs.endpoint().toString());
        properties.put("spring.datasource.url", postgresUrl() + "?currentSchema=" + schema);
        properties.put("spring.datasource.username", postgresUser());
        properties.put("spring.datasource.password", postgresPassword());
        properties.put("spring.flyway.schemas", schema);
        properties.put("spring.flyway.create-schemas", "true");
        properties.put("server.port", "0");
        properties.put("recorder.queue", queue);
        properties.put("recorder.nat-gateways[0].id", Events.SAMPLE_GATEWAY);
        properties.put("recorder.flow-logs.delivery-role-arn", ROLE);
        properties.put("recorder.notifications.topic-arn", TOPIC);
        properties.put("recorder.recording.tail", "2s");
        properties.put("recorder.recording.max-duration", "5m");
        properties.put("recorder.recording.retry-delay", "1s");
        properties.put("recorder.recording.sweep-interval", "2s");
        properties.put("recorder.intake.first-retry-delay", "1s");
        properties.put("recorder.intake.max-retry-delay", "2s");
        properties.put("recorder.intake.poll-timeout", "1s");
        properties.put("recorder.report.delay", "0s");
        properties.put("recorder.report.retry-delay", "2s");
        properties.put("recorder.reconciler.interval", "1s");
        properties.put("recorder.alarms.reconcile-interval", "1s");
        properties.put("recorder.alarms.start-delay", "0s");
        properties.put("recorder.preflight.start-delay", "0s");
        properties.put("recorder.discovery.refresh", "1s");
        properties.put("recorder.console.users[0].name", OPERATOR);
        properties.put("recorder.console.users[0].password", HASHES.encode(PASSWORD));
        properties.put("recorder.console.users[0].role", "operator");
        properties.put("recorder.console.users[1].name", VIEWER);
        properties.put("recorder.console.users[1].password", HASHES.encode(PASSWORD));
        properties.put("recorder.console.users[1].role", "viewer");
    }

    /** The console's users in every end-to-end run: one operator, one viewer, one password (tests only). */
    public static final String OPERATOR = "olivia";

    public static final String VIEWER = "victor";
    public static final String PASSWORD = "correct horse battery staple";
    private static final org.springframework.security.crypto.password.PasswordEncoder HASHES =
            new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(4);

    /** This machine's PostgreSQL, unless RECORDER_TEST_POSTGRES_URL (or -Drecorder.test.postgres.url) says otherwise. */
    public static String postgresUrl() {
        return setting("url", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    public static String postgresUser() {
        return setting("user", "postgres");
    }

    public static String postgresPassword() {
        return setting("password", "");
    }

    private static String setting(String name, String fallback) {
        String env = System.getenv("RECORDER_TEST_POSTGRES_" + name.toUpperCase(java.util.Locale.ROOT));
        return System.getProperty("recorder.test.postgres." + name, env == null ? fallback : env);
    }

    public RecorderHarness with(String key, Object value) {
        properties.put(key, String.valueOf(value));
        return this;
    }

    public RecorderHarness without(String key) {
        properties.remove(key);
        return this;
    }

    public String property(String key) {
        return properties.get(key);
    }

    public RecorderHarness start() {
        return startWith();
    }

    /** Starts the recorder with more configuration classes (a benchmark's probes). */
    public RecorderHarness startWith(Class<?>... sources) {
        if (running != null) {
            throw new IllegalStateException("the recorder is already running");
        }
        running = new SpringApplicationBuilder(RecorderApplication.class)
                .sources(sources)
                .run(arguments());
        contexts.add(running);
        return this;
    }

    /** Another instance on the same store and queue, as a second replica would be. */
    public ConfigurableApplicationContext startReplica() {
        ConfigurableApplicationContext replica =
                new SpringApplicationBuilder(RecorderApplication.class).run(arguments());
        contexts.add(replica);
        return replica;
    }

    /** The recorder's properties as command-line arguments, for this JVM or another. */
    public String[] arguments() {
        return properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
    }

    /** Closes the recorder as a SIGTERM would: in-flight work finishes, then the context closes. */
    public void stop() {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    public RecorderHarness send(String body) {
        sqs.send(queue, body);
        return this;
    }

    public String schema() {
        return schema;
    }

    public String queue() {
        return queue;
    }

    public int queueDepth() {
        return sqs.depth(queue);
    }

    public int deadLetterDepth() {
        return sqs.depth(queue + "-dlq");
    }

    public <T> T bean(Class<T> type) {
        return running.getBean(type);
    }

    /** GET on the running recorder's HTTP port, as the operator: status and body. */
    public Map.Entry<Integer, String> get(String path) {
        return request("GET", path, OPERATOR);
    }

    /** POSTs nothing to an actuator operation of the running recorder, as the operator. */
    public Map.Entry<Integer, String> post(String path) {
        return request("POST", path, OPERATOR);
    }

    /** A request as {@code user} (HTTP Basic), or with no credentials at all when {@code user} is null. */
    public Map.Entry<Integer, String> request(String method, String path, @Nullable String user) {
        return exchange(HttpClient.newHttpClient(), http(method, uri(path), user));
    }

    /** A request as {@code user} that asks for JSON, as a tool does. */
    public Map.Entry<Integer, String> requestJson(String method, String path, String user) {
        return exchange(
                HttpClient.newHttpClient(), http(method, uri(path), user).header("Accept", "application/json"));
    }

    /**
     * A POST as {@code user} would make it from the console, its redirect followed with the same session: the page it
     * lands on, which says what was done or refused.
     */
    public Map.Entry<Integer, String> postAndFollow(String path, String user) {
        HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        URI uri = uri(path);
        HttpResponse<String> first = send(client, http("POST", uri, user));
        String location = first.headers().firstValue("Location").orElse(null);
        if (first.statusCode() != 302 || location == null) {
            return Map.entry(first.statusCode(), first.body());
        }
        return exchange(client, http("GET", uri.resolve(location), user));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    private static HttpRequest.Builder http(String method, URI uri, @Nullable String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    private static Map.Entry<Integer, String> exchange(HttpClient client, HttpRequest.Builder request) {
        HttpResponse<String> response = send(client, request);
        return Map.entry(response.statusCode(), response.body());
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Consumes a queue of its own that dead-letters after this many receives (the harness's default is 2). */
    public RecorderHarness deadLetterAfter(int receives) {
        queue = queue + "-r" + receives;
        sqs.createQueueWithDeadLetterQueue(queue, receives);
        properties.put("recorder.queue", queue);
        return this;
    }

    public void createQueue(String name) {
        sqs.createQueueWithDeadLetterQueue(name, 2);
    }

    public int port() {
        return Integer.parseInt(running.getEnvironment().getProperty("local.server.port"));
    }

    /** The sum of every counter of that name carrying these tags (whatever their other tags). */
    public double count(String meter, String... tags) {
        return bean(MeterRegistry.class).find(meter).tags(tags).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count)
                .sum();
    }

    public AwsStandIn aws() {
        return aws;
    }

    @Override
    public void close() {
        contexts.forEach(ConfigurableApplicationContext::close);
        try (var connection = java.sql.DriverManager.getConnection(postgresUrl(), postgresUser(), postgresPassword());
                var statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + schema + " cascade");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not drop test schema " + schema, e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
