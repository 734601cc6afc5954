package dev.vpcflowlogs.localrun;

import dev.vpcflowlogs.recorder.RecorderApplication;
import dev.vpcflowlogs.recorder.e2e.Events;
import dev.vpcflowlogs.recorder.e2e.LocalSqs;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.util.List;
import org.springframework.boot.SpringApplication;

/**
 * {@code ./mvnw spring-boot:test-run}: the recorder on its embedded defaults (H2 in {@code ./data}) against an
 * embedded ElasticMQ and the local AWS stand-in, watching one sample gateway with short durations. Any property can
 * still be overridden with {@code -Dspring-boot.run.arguments=--name=value}.
 */
public final class LocalRecorder {

    static final String GATEWAY = Events.SAMPLE_GATEWAY;
    static final String QUEUE = "vpc-flowlogs-recorder-events";
    static final String LOG_GROUP = "/vpc-flowlogs-recorder/recordings";
    static final List<String> INTERFACES = List.of("eni-0a1b2c3d4e5f60001", "eni-0a1b2c3d4e5f60002");

    /** The stand-in, for the spike endpoint to write flow log records into. */
    static AwsStandIn aws;

    static final String OPERATOR = "operator";
    /** The console password generated for this run; null when the console's users were given. */
    static String password;

    private LocalRecorder() {}

    public static void main(String[] args) {
        LocalSqs sqs = LocalSqs.start(Integer.getInteger("local.sqs.port", 9324));
        sqs.createQueueWithDeadLetterQueue(QUEUE, 3);
        aws = AwsStandIn.start()
                .natGateway(GATEWAY, INTERFACES.toArray(String[]::new))
                .topic("arn:aws:sns:us-east-1:123456789012:vpc-flowlogs-recorder");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            aws.close();
            sqs.close();
        }));

        setDefault("spring.cloud.aws.region.static", "us-east-1");
        setDefault("spring.cloud.aws.credentials.access-key", "local");
        setDefault("spring.cloud.aws.credentials.secret-key", "local");
        setDefault("spring.cloud.aws.endpoint", aws.endpoint().toString());
        setDefault("spring.cloud.aws.sqs.endpoint", sqs.endpoint().toString());
        setDefault("recorder.queue", QUEUE);
        setDefault("recorder.nat-gateways[0].id", GATEWAY);
        setDefault(
                "recorder.flow-logs.delivery-role-arn",
                "arn:aws:iam::123456789012:role/vpc-flowlogs-recorder-delivery");
        setDefault("recorder.notifications.topic-arn", "arn:aws:sns:us-east-1:123456789012:vpc-flowlogs-recorder");
        setDefault("recorder.recording.tail", "15s");
        setDefault("recorder.recording.max-duration", "3m");
        setDefault("recorder.recording.sweep-interval", "5s");
        setDefault("recorder.intake.first-retry-delay", "2s");
        setDefault("recorder.report.delay", "10s");
        setDefault("recorder.report.retry-delay", "20s");
        setDefault("management.endpoints.web.exposure.include", "health,info,prometheus,recordings,preflight,spike");
        if (System.getProperty("recorder.console.users[0].name") == null) {
            // The console's operator for this run, with a password made up now and printed once it is ready.
            byte[] bytes = new byte[12];
            new java.security.SecureRandom().nextBytes(bytes);
            password = java.util.HexFormat.of().formatHex(bytes);
            System.setProperty("recorder.console.users[0].name", OPERATOR);
            System.setProperty(
                    "recorder.console.users[0].password",
                    new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder().encode(password));
            System.setProperty("recorder.console.users[0].role", "operator");
        }

        SpringApplication.from(RecorderApplication::main)
                .with(LocalRunConfiguration.class)
                .run(args);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
