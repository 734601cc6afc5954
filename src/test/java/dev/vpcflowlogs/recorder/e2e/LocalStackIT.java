package dev.vpcflowlogs.recorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.RecorderApplication;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.FlowLog;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The main scenario against LocalStack, where Docker exists (it skips itself elsewhere): an ALARM creates flow logs on
 * the gateway's interface, the OK deletes them after the tail.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackIT {

    /** The last LocalStack release that runs without an auth token. */
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(
                    DockerImageName.parse("localstack/localstack:3.8.1"))
            .withServices("ec2", "sqs", "sns", "logs");

    static Ec2Client ec2;
    static SqsClient sqs;
    static String natGatewayId;
    static String queueUrl;
    static ConfigurableApplicationContext recorder;

    @BeforeAll
    static void createTheAwsSide() {
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
        Region region = Region.of(LOCALSTACK.getRegion());
        ec2 = Ec2Client.builder()
                .endpointOverride(LOCALSTACK.getEndpoint())
                .region(region)
                .credentialsProvider(credentials)
                .build();
        sqs = SqsClient.builder()
                .endpointOverride(LOCALSTACK.getEndpoint())
                .region(region)
                .credentialsProvider(credentials)
                .build();
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.0.1.0/24"))
                .subnet()
                .subnetId();
        String allocation = ec2.allocateAddress(r -> r.domain("vpc")).allocationId();
        natGatewayId = ec2.createNatGateway(r -> r.subnetId(subnet).allocationId(allocation))
                .natGateway()
                .natGatewayId();
        queueUrl = sqs.createQueue(r -> r.queueName("vpc-flowlogs-recorder-events"))
                .queueUrl();

        recorder = new SpringApplicationBuilder(RecorderApplication.class)
                .run(
                        "--spring.cloud.aws.endpoint=" + LOCALSTACK.getEndpoint(),
                        "--spring.cloud.aws.region.static=" + LOCALSTACK.getRegion(),
                        "--spring.cloud.aws.credentials.access-key=" + LOCALSTACK.getAccessKey(),
                        "--spring.cloud.aws.credentials.secret-key=" + LOCALSTACK.getSecretKey(),
                        "--spring.datasource.url=jdbc:h2:mem:localstack;DB_CLOSE_DELAY=-1",
                        "--server.port=0",
                        "--recorder.queue=vpc-flowlogs-recorder-events",
                        "--recorder.nat-gateways[0].id=" + natGatewayId,
                        "--recorder.flow-logs.delivery-role-arn=arn:aws:iam::000000000000:role/delivery",
                        "--recorder.recording.tail=2s",
                        "--recorder.intake.poll-timeout=1s");
    }

    @AfterAll
    static void stop() {
        if (recorder != null) {
            recorder.close();
        }
        if (ec2 != null) {
            ec2.close();
            sqs.close();
        }
    }

    List<FlowLog> recorderFlowLogs() {
        return ec2.describeFlowLogs(r -> r.filter(Filter.builder()
                        .name("tag:managed-by")
                        .values("vpc-flowlogs-recorder")
                        .build()))
                .flowLogs();
    }

    @Test
    void recordsAndCleansUpAgainstLocalStack() {
        List<String> interfaces = ec2
                .describeNatGateways(r -> r.natGatewayIds(natGatewayId))
                .natGateways()
                .get(0)
                .natGatewayAddresses()
                .stream()
                .map(a -> a.networkInterfaceId())
                .toList();

        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(Events.alarm(natGatewayId, Instant.now())));
        await().atMost(Duration.ofSeconds(60)).until(() -> !recorderFlowLogs().isEmpty());
        assertThat(recorderFlowLogs()).extracting(FlowLog::resourceId).containsExactlyInAnyOrderElementsOf(interfaces);
        assertThat(recorderFlowLogs().get(0).tags()).anySatisfy(tag -> assertThat(Map.entry(tag.key(), tag.value()))
                .isEqualTo(Map.entry("nat-gateway-id", natGatewayId)));

        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(Events.ok(natGatewayId, Instant.now())));
        await().atMost(Duration.ofSeconds(60)).until(() -> recorderFlowLogs().isEmpty());
    }
}
