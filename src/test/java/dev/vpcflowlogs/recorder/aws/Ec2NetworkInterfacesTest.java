package dev.vpcflowlogs.recorder.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.TestProperties;
import dev.vpcflowlogs.recorder.report.AddressOwner;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Who holds a VPC's addresses, against the stand-in over the real EC2 query protocol, which refuses a call with more
 * than 200 filter values in all its filters (FilterLimitExceeded), as EC2 does.
 */
class Ec2NetworkInterfacesTest {

    /** The stand-in's one VPC. */
    static final String VPC = "vpc-0123456789abcdef0";

    AwsStandIn aws;
    Ec2Client ec2;
    Ec2NetworkInterfaces interfaces;

    @BeforeEach
    void setUp() {
        aws = AwsStandIn.start();
        ec2 = Ec2Client.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .build();
        interfaces = new Ec2NetworkInterfaces(
                AwsClients.ofHome(TestProperties.defaults(), TestProperties.places(), ec2, null, null),
                new AwsErrors(new SimpleMeterRegistry()));
    }

    @AfterEach
    void tearDown() {
        ec2.close();
        aws.close();
    }

    @Test
    void namesTheHoldersOfMoreAddressesThanOneCallsFiltersTake() {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            String ip = "10.0." + (i / 200) + "." + (i % 200 + 10);
            aws.instance(String.format("i-%017x", i + 1), "web-" + i, "us-east-1a", ip);
            addresses.add(ip);
        }

        List<AddressOwner> owners = interfaces.holding(TestProperties.HOME, VPC, addresses);

        assertThat(owners).extracting(AddressOwner::address).containsExactlyInAnyOrderElementsOf(addresses);
        assertThat(owners)
                .filteredOn(o -> o.address().equals("10.0.2.59"))
                .singleElement()
                .satisfies(o -> assertThat(o.instanceName()).isEqualTo("web-449"));
        assertThat(owners).allSatisfy(o -> assertThat(o.instanceName()).isNotNull());
        // 450 addresses beside the vpc-id filter: 199 a call; 450 instances beside key=Name: 199 a call
        assertThat(aws.calls("DescribeNetworkInterfaces")).hasSize(3);
        assertThat(aws.calls("DescribeTags")).hasSize(3);
    }

    @Test
    void findsTheVpcsOfMoreGatewaysThanOneFilterTakes() {
        List<String> gateways = IntStream.range(0, 201)
                .mapToObj(i -> String.format("nat-%017x", i + 1))
                .toList();
        gateways.forEach(g -> aws.natGateway(g, "eni-" + g.substring(4)));

        assertThat(interfaces.vpcsOf(TestProperties.HOME, gateways))
                .hasSize(201)
                .allSatisfy((gateway, vpc) -> assertThat(vpc).isEqualTo(VPC));
        assertThat(aws.calls("DescribeNatGateways")).hasSize(2);
    }
}
