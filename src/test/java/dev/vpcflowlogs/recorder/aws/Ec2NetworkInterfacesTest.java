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
        // 450 addresses beside the vpc-id filter: 199 a call; 450 instances by instance-id: 200 a call
        assertThat(aws.calls("DescribeNetworkInterfaces")).hasSize(3);
        assertThat(aws.calls("DescribeInstances")).hasSize(3);
    }

    // EKS as the Amazon VPC CNI and EKS Auto Mode lay addresses out: each pod is named by its node.

    @Test
    void namesAPodInAPrefixOfTheCnisInterfaceByItsNode() {
        aws.eksNode("i-0node00000000001", "prod", "us-east-1b", "10.0.2.10")
                .cniInterface(
                        "i-0node00000000001",
                        "prod",
                        "us-east-1b",
                        1,
                        List.of("10.0.2.11"),
                        List.of("10.0.3.32/28", "10.0.3.48/28"));

        List<AddressOwner> owners = interfaces.holding(TestProperties.HOME, VPC, List.of("10.0.3.37", "10.0.3.63"));

        assertThat(owners).extracting(AddressOwner::address).containsExactlyInAnyOrder("10.0.3.37", "10.0.3.63");
        assertThat(owners.get(0).kind()).isEqualTo(AddressOwner.Kind.EKS_POD);
        assertThat(owners)
                .extracting(AddressOwner::label)
                .containsExactlyInAnyOrder(
                        "EKS pod on node i-0node00000000001 (prod-node), cluster prod, prefix 10.0.3.32/28",
                        "EKS pod on node i-0node00000000001 (prod-node), cluster prod, prefix 10.0.3.48/28");
        // one DescribeInstances for the two /28s, beside the vpc-id
        assertThat(aws.calls("DescribeInstances"))
                .filteredOn(Ec2NetworkInterfacesTest::byPrefix)
                .hasSize(1);
    }

    @Test
    void namesAPodInAPrefixOfTheNodesPrimaryInterface() {
        aws.eksNode("i-0node00000000002", "prod", "us-east-1a", "10.0.4.10")
                .primaryPrefixes("i-0node00000000002", "10.0.4.16/28");

        List<AddressOwner> owners = interfaces.holding(TestProperties.HOME, VPC, List.of("10.0.4.21", "10.0.4.10"));

        assertThat(owners)
                .extracting(AddressOwner::address, AddressOwner::label)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "10.0.4.21",
                                "EKS pod on node i-0node00000000002 (prod-node), cluster prod, prefix 10.0.4.16/28"),
                        org.assertj.core.groups.Tuple.tuple(
                                "10.0.4.10", "EKS node i-0node00000000002 (prod-node), cluster prod"));
    }

    @Test
    void namesAPodOnASecondaryAddressOfTheNodesPrimaryInterface() {
        aws.eksNode("i-0node00000000003", "prod", "us-east-1a", "10.0.5.10", "10.0.5.11");

        List<AddressOwner> owners = interfaces.holding(TestProperties.HOME, VPC, List.of("10.0.5.11"));

        assertThat(owners).singleElement().satisfies(o -> assertThat(o.label())
                .isEqualTo("EKS pod on node i-0node00000000003 (prod-node), cluster prod"));
        assertThat(aws.calls("DescribeInstances"))
                .as("found by its address: no prefix look-up")
                .noneMatch(Ec2NetworkInterfacesTest::byPrefix);
    }

    @Test
    void findsAnAutoModeNodeAndItsPodsWhereTheAccountHidesManagedResources() {
        aws.managedResourcesHidden(true)
                .autoModeNode("i-0auto00000000001", "prod", "us-east-1a", "10.0.6.10", "10.0.6.32/28");

        List<AddressOwner> owners = interfaces.holding(TestProperties.HOME, VPC, List.of("10.0.6.10", "10.0.6.40"));
        List<AddressOwner> snapshot = interfaces.everyAddressOf(TestProperties.HOME, VPC, 1000);

        assertThat(owners)
                .extracting(AddressOwner::address, AddressOwner::label)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "10.0.6.10",
                                "EKS node i-0auto00000000001 (prod-auto), cluster prod, managed by eks.amazonaws.com"),
                        org.assertj.core.groups.Tuple.tuple(
                                "10.0.6.40",
                                "EKS pod on node i-0auto00000000001 (prod-auto), cluster prod, prefix 10.0.6.32/28,"
                                        + " managed by eks.amazonaws.com"));
        assertThat(snapshot).extracting(AddressOwner::address).contains("10.0.6.10", "10.0.6.32/28");
    }

    @Test
    void theStandInHidesManagedInterfacesFromACallThatDoesNotAskForThem() {
        aws.managedResourcesHidden(true).autoModeNode("i-0auto00000000002", "prod", "us-east-1a", "10.0.7.10");

        assertThat(ec2.describeNetworkInterfaces(
                                r -> r.filters(f -> f.name("vpc-id").values(VPC)))
                        .networkInterfaces())
                .isEmpty();
        assertThat(ec2.describeNetworkInterfaces(r ->
                                r.filters(f -> f.name("vpc-id").values(VPC)).includeManagedResources(true))
                        .networkInterfaces())
                .singleElement()
                .satisfies(i -> assertThat(i.operator().principal()).isEqualTo("eks.amazonaws.com"));
    }

    @Test
    void namesABranchInterfacesPod() {
        aws.branchInterface("eni-0branch00000001", "us-east-1a", "10.0.8.5");

        assertThat(interfaces.holding(TestProperties.HOME, VPC, List.of("10.0.8.5")))
                .singleElement()
                .satisfies(o -> assertThat(o.kind()).isEqualTo(AddressOwner.Kind.EKS_POD));
    }

    @Test
    void theSnapshotHoldsEachPrefixOnceAndANodeScaledInLeavesOnlyTheSnapshot() {
        aws.eksNode("i-0node00000000004", "prod", "us-east-1c", "10.0.9.10", "10.0.9.11")
                .cniInterface(
                        "i-0node00000000004", null, "us-east-1c", 1, List.of("10.0.9.12"), List.of("10.0.9.32/28"));

        List<AddressOwner> snapshot = interfaces.everyAddressOf(TestProperties.HOME, VPC, 1000);
        aws.terminate("i-0node00000000004");

        assertThat(snapshot)
                .extracting(AddressOwner::address)
                .containsExactlyInAnyOrder("10.0.9.10", "10.0.9.11", "10.0.9.12", "10.0.9.32/28");
        assertThat(snapshot)
                .filteredOn(o -> o.address().equals("10.0.9.32/28"))
                .singleElement()
                .satisfies(o -> assertThat(o.prefix()).isEqualTo("10.0.9.32/28"));
        assertThat(interfaces.holding(TestProperties.HOME, VPC, List.of("10.0.9.33", "10.0.9.11")))
                .isEmpty();
    }

    @Test
    void findsPrefixesOfMoreAddressesThanOneCallsFiltersTake() {
        List<String> addresses = new ArrayList<>();
        for (int n = 0; n < 250; n++) {
            String node = String.format("i-%017x", 0x1000 + n);
            String prefix = "10.1." + n + ".16/28";
            aws.eksNode(node, "prod", "us-east-1a", "10.1." + n + ".4").primaryPrefixes(node, prefix);
            addresses.add("10.1." + n + ".20");
        }

        List<AddressOwner> owners = interfaces.holding(TestProperties.HOME, VPC, addresses);

        assertThat(owners).extracting(AddressOwner::address).containsExactlyInAnyOrderElementsOf(addresses);
        // 250 /28s beside the vpc-id: 199 a call
        assertThat(aws.calls("DescribeInstances"))
                .filteredOn(Ec2NetworkInterfacesTest::byPrefix)
                .hasSize(2);
    }

    /** A DescribeInstances that looks interfaces up by their prefixes. */
    static boolean byPrefix(AwsStandIn.Call call) {
        return call.params().containsValue("network-interface.ipv4-prefixes.ipv4-prefix");
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
