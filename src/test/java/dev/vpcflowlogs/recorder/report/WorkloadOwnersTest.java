package dev.vpcflowlogs.recorder.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Kubernetes' names beside the VPC's owners, as a recording's snapshot keeps them. */
class WorkloadOwnersTest {

    static final AddressOwner NODE_SECONDARY = new AddressOwner(
            "10.0.2.20",
            "eni-0node0",
            "interface",
            "",
            null,
            false,
            "i-0node",
            "prod-node",
            "subnet-b",
            "us-east-1b",
            Map.of(),
            null,
            null,
            "prod",
            null);
    static final AddressOwner PREFIX = new AddressOwner(
            "10.0.3.32/28",
            "eni-0node1",
            "interface",
            "aws-K8S-i-0node",
            null,
            false,
            "i-0node",
            "prod-node",
            "subnet-b",
            "us-east-1b",
            Map.of(),
            "10.0.3.32/28",
            null,
            "prod",
            null);

    static Workload pod(String namespace, String name, String kind, String controller) {
        return new Workload("prod", namespace, name, kind, controller, "ip-10-0-2-10", null);
    }

    @Test
    void aPodOnAnAddressOrInAPrefixIsKeptBesideItsOwner() {
        List<AddressOwner> named = WorkloadOwners.attach(
                List.of(NODE_SECONDARY, PREFIX),
                Map.of(
                        "10.0.2.20", pod("web", "storefront-0", "StatefulSet", "storefront"),
                        "10.0.3.37", pod("payments", "settlement-7d9f-abcde", "Deployment", "settlement"),
                        "172.16.0.9", pod("other", "elsewhere", null, null)));

        assertThat(named)
                .extracting(AddressOwner::address)
                .containsExactlyInAnyOrder("10.0.2.20", "10.0.3.32/28", "10.0.3.37");
        assertThat(named)
                .filteredOn(o -> o.address().equals("10.0.3.37"))
                .singleElement()
                .satisfies(o -> assertThat(o.label())
                        .isEqualTo("payments/settlement-7d9f-abcde (Deployment settlement), EKS pod on node i-0node"
                                + " (prod-node), cluster prod, prefix 10.0.3.32/28"));
        assertThat(named.get(0).label())
                .isEqualTo(
                        "web/storefront-0 (StatefulSet storefront), EKS pod on node i-0node (prod-node), cluster prod");
    }

    @Test
    void withoutTheLinkTheOwnersAreKeptAsTheyAre() {
        assertThat(WorkloadOwners.attach(List.of(NODE_SECONDARY, PREFIX), Map.of()))
                .containsExactly(NODE_SECONDARY, PREFIX);
    }

    @Test
    void aSnapshotKeptBeforePrefixesAndPodsReadsAsBefore() {
        String stored =
                """
                [{"address":"10.0.1.5","interfaceId":"eni-1","interfaceType":"interface","description":null,
                  "requesterId":null,"primary":true,"instanceId":"i-0web","instanceName":"web-1",
                  "subnetId":"subnet-a","availabilityZone":"us-east-1a","tags":{}}]
                """;

        List<AddressOwner> owners =
                JsonMapper.builder().build().readValue(stored, new TypeReference<List<AddressOwner>>() {});

        assertThat(owners).singleElement().satisfies(o -> {
            assertThat(o.label()).isEqualTo("i-0web (web-1)");
            assertThat(o.prefix()).isNull();
            assertThat(o.workload()).isNull();
        });
    }
}
