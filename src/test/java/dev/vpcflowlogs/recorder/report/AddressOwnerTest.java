package dev.vpcflowlogs.recorder.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vpcflowlogs.recorder.report.AddressOwner.Kind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressOwnerTest {

    static AddressOwner owner(
            String type, String description, boolean primary, String instance, Map<String, String> tags) {
        return new AddressOwner(
                "10.0.1.9",
                "eni-0123",
                type,
                description,
                null,
                primary,
                instance,
                "web-1",
                "subnet-1",
                "us-east-1a",
                tags);
    }

    @Test
    void readsTheOwnerFromTheInterfacesTypeDescriptionAndTags() {
        assertThat(owner("interface", "Primary network interface", true, "i-0abc", Map.of())
                        .label())
                .isEqualTo("i-0abc (web-1)");
        assertThat(owner(
                                "interface",
                                "aws-K8S-i-0abc",
                                false,
                                "i-0abc",
                                Map.of("cluster.k8s.amazonaws.com/name", "prod"))
                        .label())
                .isEqualTo("EKS pod on node i-0abc (web-1), cluster prod");
        assertThat(owner("interface", "aws-K8S-i-0abc", true, "i-0abc", Map.of())
                        .kind())
                .as("the node's own address on its CNI interface")
                .isEqualTo(Kind.EC2_INSTANCE);
        assertThat(owner("branch", "aws-k8s-branch-eni", true, null, Map.of()).kind())
                .isEqualTo(Kind.EKS_POD);
        assertThat(owner(
                                "lambda",
                                "AWS Lambda VPC ENI-resize-images-5c1b0a2e-0b7e-4d8e-9f2a-2f9e6c1d7a10",
                                true,
                                null,
                                Map.of())
                        .label())
                .isEqualTo("Lambda function resize-images");
        assertThat(owner("interface", "arn:aws:ecs:us-east-1:123456789012:attachment/abc", true, null, Map.of())
                        .label())
                .isEqualTo("ECS task, attachment abc");
        assertThat(owner("interface", "ELB app/shop/50dc6c495c0c9188", true, null, Map.of())
                        .label())
                .isEqualTo("load balancer app/shop/50dc6c495c0c9188");
        assertThat(owner("interface", "RDSNetworkInterface", true, null, Map.of())
                        .kind())
                .isEqualTo(Kind.RDS_INSTANCE);
        assertThat(owner("vpc_endpoint", "VPC Endpoint Interface vpce-1", true, null, Map.of())
                        .kind())
                .isEqualTo(Kind.VPC_ENDPOINT);
        assertThat(owner("nat_gateway", "Interface for NAT Gateway nat-1", true, null, Map.of())
                        .kind())
                .isEqualTo(Kind.NAT_GATEWAY);
    }

    @Test
    void anAddressThatChangedHandsShowsBothOwnersAndOneNobodyHeldSaysSo() {
        AddressOwner pod = owner("interface", "aws-K8S-i-0abc", false, "i-0abc", Map.of());
        AddressOwner lambda = new AddressOwner(
                "10.0.1.9",
                "eni-0999",
                "lambda",
                "AWS Lambda VPC ENI-f-1-2-3-4-5",
                null,
                true,
                null,
                null,
                null,
                "us-east-1b",
                Map.of());

        Owners owners = Owners.of(
                java.util.List.of("10.0.1.9", "10.0.1.10"),
                java.time.Instant.EPOCH,
                java.util.List.of(pod),
                java.time.Instant.EPOCH.plusSeconds(600),
                java.util.List.of(lambda),
                null);

        assertThat(owners.label("10.0.1.9")).isEqualTo("EKS pod on node i-0abc (web-1), then Lambda function f");
        assertThat(owners.zoneOf("10.0.1.9")).as("the zone while it recorded").isEqualTo("us-east-1a");
        assertThat(owners.label("10.0.1.10")).isEqualTo("not found");
    }

    @Test
    void anAddressInAPrefixIsNamedFromTheSnapshotAfterItsNodeIsGone() {
        AddressOwner prefix = new AddressOwner(
                "10.0.3.32/28",
                "eni-0node1",
                "interface",
                "aws-K8S-i-0node",
                null,
                false,
                "i-0node",
                "prod-node",
                "subnet-1",
                "us-east-1b",
                Map.of(),
                "10.0.3.32/28",
                null,
                "prod",
                null);

        // the node was scaled in before the report: nobody holds the addresses when it is made
        Owners owners = Owners.of(
                java.util.List.of("10.0.3.37", "10.0.3.48"),
                java.time.Instant.EPOCH,
                java.util.List.of(prefix),
                java.time.Instant.EPOCH.plusSeconds(600),
                java.util.List.of(),
                null);

        assertThat(owners.label("10.0.3.37"))
                .isEqualTo("EKS pod on node i-0node (prod-node), cluster prod, prefix 10.0.3.32/28");
        assertThat(owners.byAddress().get("10.0.3.37").get(0).owner().address()).isEqualTo("10.0.3.37");
        assertThat(owners.zoneOf("10.0.3.37")).isEqualTo("us-east-1b");
        assertThat(owners.label("10.0.3.48")).as("the next /28").isEqualTo("not found");
    }
}
