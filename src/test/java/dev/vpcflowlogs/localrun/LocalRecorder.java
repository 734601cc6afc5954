package dev.vpcflowlogs.localrun;

import dev.vpcflowlogs.recorder.RecorderApplication;
import dev.vpcflowlogs.recorder.e2e.Events;
import dev.vpcflowlogs.recorder.e2e.LocalSqs;
import dev.vpcflowlogs.recorder.report.engine.FlowRecords;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.util.ArrayList;
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
    public static final List<String> INTERFACES = List.of("eni-0a1b2c3d4e5f60001", "eni-0a1b2c3d4e5f60002");

    /** The stand-in, for the spike endpoint to write flow log records into. */
    static AwsStandIn aws;

    static final String OPERATOR = "operator";
    /** The console password generated for this run; null when the console's users were given. */
    static String password;

    private LocalRecorder() {}

    public static void main(String[] args) {
        LocalSqs sqs = LocalSqs.start(Integer.getInteger("local.sqs.port", 9324));
        sqs.createQueueWithDeadLetterQueue(QUEUE, 3);
        aws = sampleWorld(AwsStandIn.start()
                .natGateway(GATEWAY, INTERFACES.toArray(String[]::new))
                .topic("arn:aws:sns:us-east-1:123456789012:vpc-flowlogs-recorder"));
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

    /**
     * Who is behind the sample spike's addresses (see {@code LocalRunConfiguration.writeSampleRecords}), so the first
     * report names them: an instance and a Lambda function in the gateway's zone, and an EKS node in another zone whose
     * pods hold secondary addresses of its own interface, of the VPC CNI's interface, and addresses in a /28 prefix.
     */
    public static AwsStandIn sampleWorld(AwsStandIn aws) {
        String node = "i-0e5a0de000000000b";
        return aws.instance("i-0b01d000000000001", "build-runner", "us-east-1a", "10.0.1.5")
                .lambdaInterface("eni-0f00000000000001a", "export-reports", "us-east-1a", "10.0.1.6")
                .eksNode(node, "shop", "us-east-1b", "10.0.2.9", "10.0.2.21", "10.0.2.22", "10.0.2.23", "10.0.2.24")
                .cniInterface(
                        node,
                        "shop",
                        "us-east-1b",
                        1,
                        List.of(
                                "10.0.2.50",
                                "10.0.2.25",
                                "10.0.2.26",
                                "10.0.2.27",
                                "10.0.2.28",
                                "10.0.2.29",
                                "10.0.2.30",
                                "10.0.2.31"),
                        List.of("10.0.2.32/28"));
    }

    /**
     * The records of the sample spike, for each of the gateway's two interfaces: an S3 download by the instance, the
     * Lambda function's calls, an SSH session of the EKS node, three pods' downloads, and twenty pods' smaller flows.
     */
    public static List<List<String>> sampleRecords() {
        FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);
        List<String> first = new ArrayList<>();
        first.addAll(records.exchange("10.0.1.5", "52.216.8.1", 443, 2_000_000, 1_800_000_000, "S3"));
        first.addAll(records.exchange("10.0.1.6", "203.0.113.9", 443, 40_000_000, 350_000_000, null));
        List<String> second = new ArrayList<>();
        second.addAll(records.exchange("10.0.2.9", "198.51.100.4", 22, 120_000_000, 3_000_000, null));
        // pods on the node's own interface, on the CNI's, and in its prefix
        second.addAll(records.exchange("10.0.2.21", "198.51.100.20", 443, 60_000_000, 20_000_000, null));
        second.addAll(records.exchange("10.0.2.25", "192.0.2.80", 443, 50_000_000, 15_000_000, null));
        second.addAll(records.exchange("10.0.2.33", "203.0.113.50", 443, 40_000_000, 40_000_000, null));
        for (int i = 1; i <= 20; i++) {
            second.addAll(records.exchange("10.0.2." + (20 + i), "192.0.2." + i, 443, 1_000_000, 5_000_000, null));
        }
        return List.of(first, second);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
