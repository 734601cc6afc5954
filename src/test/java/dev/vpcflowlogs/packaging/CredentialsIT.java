package dev.vpcflowlogs.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.e2e.Events;
import dev.vpcflowlogs.recorder.e2e.LocalSqs;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.Call;
import dev.vpcflowlogs.recorder.standin.CredentialsApi.Issued;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar with no static keys, its credentials from the sources platforms give it: EKS's IRSA (a web
 * identity token exchanged at STS), EKS Pod Identity (the container credentials endpoint with an authorization token
 * file), and a profile that assumes a role. Every call it then makes to AWS is signed with what that source issued.
 */
class CredentialsIT {

    static final String ROLE = "arn:aws:iam::123456789012:role/vpc-flowlogs-recorder";
    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:vpc-flowlogs-recorder";
    static final String QUEUE = "vpc-flowlogs-recorder-events";
    static final String ENI = "eni-0a00000000000000a";

    @TempDir
    Path dir;

    LocalSqs sqs;
    AwsStandIn aws;

    @BeforeEach
    void start() {
        sqs = LocalSqs.start();
        sqs.createQueueWithDeadLetterQueue(QUEUE, 5);
        aws = AwsStandIn.start().natGateway(Events.SAMPLE_GATEWAY, ENI).topic(TOPIC);
    }

    @AfterEach
    void stop() {
        aws.close();
        sqs.close();
    }

    /** The recorder's settings, without any credential: those come from the environment. */
    List<String> arguments() {
        return List.of(
                "--spring.cloud.aws.region.static=us-east-1",
                "--spring.cloud.aws.endpoint=" + aws.endpoint(),
                "--spring.cloud.aws.sqs.endpoint=" + sqs.endpoint(),
                "--spring.datasource.url=jdbc:h2:file:"
                        + dir.resolve("data/recorder").toAbsolutePath(),
                "--recorder.queue=" + QUEUE,
                "--recorder.nat-gateways[0].id=" + Events.SAMPLE_GATEWAY,
                "--recorder.flow-logs.delivery-role-arn=arn:aws:iam::123456789012:role/vpc-flowlogs-recorder-delivery",
                "--recorder.notifications.topic-arn=" + TOPIC,
                "--recorder.recording.tail=1s",
                "--recorder.report.delay=0s",
                "--recorder.report.retry-delay=1s",
                "--recorder.intake.poll-timeout=1s",
                "--recorder.console.users[0].name=" + VIEWER,
                "--recorder.console.users[0].password="
                        + new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(4).encode(PASSWORD),
                "--recorder.console.users[0].role=viewer");
    }

    /** A console user: the health components say what is wrong only to a user. */
    static final String VIEWER = "victor";

    static final String PASSWORD = "correct horse battery staple";

    /** A spike recorded and notified: every AWS call it took was signed with credentials the source issued. */
    void recordsASpikeSignedWith(RecorderProcess recorder, String source) {
        try {
            recorderSends(Events.alarm(Events.SAMPLE_GATEWAY, Instant.now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> aws.flowLogs().size() == 1);
            recorderSends(Events.ok(Events.SAMPLE_GATEWAY, Instant.now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the recorder's log:\n" + recorder.logTail(), e);
        }

        List<Issued> issued = aws.issuedCredentials();
        assertThat(issued).isNotEmpty().allSatisfy(i -> assertThat(i.source()).isEqualTo(source));
        List<Call> signed =
                aws.calls().stream().filter(c -> !c.service().equals("sts")).toList();
        assertThat(signed).extracting(Call::service).contains("ec2", "logs", "sns", "cloudwatch");
        assertThat(signed).allSatisfy(call -> assertThat(issued)
                .as("%s %s signed with key %s", call.service(), call.action(), call.accessKeyId())
                .anySatisfy(i -> {
                    assertThat(call.accessKeyId()).isEqualTo(i.accessKeyId());
                    assertThat(call.sessionToken()).isEqualTo(i.sessionToken());
                }));
    }

    void recorderSends(String body) {
        sqs.send(QUEUE, body);
    }

    @Test
    void irsaWebIdentityTokenIsExchangedAtStsAndItsCredentialsSignEveryCall() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "eyJhbGciOiJSUzI1NiJ9.irsa-service-account-token");
        aws.acceptWebIdentity(ROLE, "eyJhbGciOiJSUzI1NiJ9.irsa-service-account-token");

        // What EKS's pod identity webhook injects for IRSA, and no key.
        try (RecorderProcess recorder = RecorderProcess.start(
                        dir,
                        Map.of(
                                "AWS_ROLE_ARN",
                                ROLE,
                                "AWS_WEB_IDENTITY_TOKEN_FILE",
                                token.toString(),
                                "AWS_REGION",
                                "us-east-1",
                                "AWS_ENDPOINT_URL_STS",
                                aws.endpoint().toString()),
                        arguments())
                .awaitReady()) {
            recordsASpikeSignedWith(recorder, "AssumeRoleWithWebIdentity");
            assertThat(aws.calls("AssumeRoleWithWebIdentity"))
                    .allSatisfy(c -> assertThat(c.params()).containsEntry("RoleArn", ROLE));
            assertThat(recorder.log()).doesNotContain("service module must be on the class path");
        }
    }

    @Test
    void podIdentityCredentialsComeFromTheContainerEndpointWithTheAgentsToken() throws Exception {
        Path token = Files.writeString(dir.resolve("eks-pod-identity-token"), "pod-identity-token-1");
        aws.containerCredentials("pod-identity-token-1");

        // What EKS Pod Identity injects (its agent listens on 169.254.170.23; the stand-in on 127.0.0.1).
        try (RecorderProcess recorder = RecorderProcess.start(
                        dir,
                        Map.of(
                                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                        aws.containerCredentialsUri().toString(),
                                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token.toString(),
                                "AWS_REGION", "us-east-1"),
                        arguments())
                .awaitReady()) {
            recordsASpikeSignedWith(recorder, "container");
        }
    }

    @Test
    void aProfileThatAssumesARoleIsHonoured() throws Exception {
        Path config = Files.writeString(
                dir.resolve("aws-config"),
                """
                [profile recorder]
                role_arn = %s
                source_profile = base
                [profile base]
                aws_access_key_id = AKIABASE0000000000001
                aws_secret_access_key = base-secret
                """
                        .formatted(ROLE));
        aws.allowAssumeRole(ROLE, "AKIABASE0000000000001");

        try (RecorderProcess recorder = RecorderProcess.start(
                        dir,
                        Map.of(
                                "AWS_CONFIG_FILE",
                                config.toString(),
                                "AWS_PROFILE",
                                "recorder",
                                "AWS_REGION",
                                "us-east-1",
                                "AWS_ENDPOINT_URL_STS",
                                aws.endpoint().toString()),
                        arguments())
                .awaitReady()) {
            recordsASpikeSignedWith(recorder, "AssumeRole");
            assertThat(aws.calls("AssumeRole"))
                    .allSatisfy(c -> assertThat(c.accessKeyId()).isEqualTo("AKIABASE0000000000001"));
        }
    }

    @Test
    void aTokenStsRefusesLeavesThePermissionsHealthDownWithStsReason() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "eyJhbGciOiJSUzI1NiJ9.a-token-of-another-cluster");
        aws.acceptWebIdentity(ROLE, "eyJhbGciOiJSUzI1NiJ9.irsa-service-account-token");

        try (RecorderProcess recorder = RecorderProcess.start(
                dir,
                Map.of(
                        "AWS_ROLE_ARN",
                        ROLE,
                        "AWS_WEB_IDENTITY_TOKEN_FILE",
                        token.toString(),
                        "AWS_REGION",
                        "us-east-1",
                        "AWS_ENDPOINT_URL_STS",
                        aws.endpoint().toString()),
                arguments())) {
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(
                            () -> recorder.getAs(VIEWER, PASSWORD, "/actuator/health/permissions")
                                    .body(),
                            b -> b.contains("InvalidIdentityToken"));
            assertThat(aws.calls().stream().filter(c -> !c.service().equals("sts")))
                    .as("no call reached AWS unsigned or signed with other credentials")
                    .isEmpty();
        }
    }
}
