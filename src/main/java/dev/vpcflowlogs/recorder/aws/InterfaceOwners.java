package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.report.AddressOwner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfacePrivateIpAddress;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The owners EC2's interfaces describe: one per private address and one per delegated prefix, each with its
 * instance's {@code Name} and EKS cluster (DescribeInstances, managed instances included) and the service that manages
 * the interface, if any. SDK exceptions are the caller's to translate.
 */
final class InterfaceOwners {

    private final AwsClients clients;

    InterfaceOwners(AwsClients clients) {
        this.clients = clients;
    }

    /**
     * One owner per address of these interfaces, and per prefix delegated to them, with their instances' names. With
     * {@code wanted}, only the owners of those addresses, a prefix's as the owner of each wanted address in it.
     */
    List<AddressOwner> of(Place place, List<NetworkInterface> interfaces, @Nullable Set<String> wanted) {
        Map<String, Node> nodes = instances(place, interfaces);
        List<AddressOwner> owners = new ArrayList<>();
        for (NetworkInterface i : interfaces) {
            Map<String, String> tags = new HashMap<>();
            for (Tag t : i.tagSet()) {
                tags.put(t.key(), t.value());
            }
            String instance = i.attachment() == null ? null : i.attachment().instanceId();
            String managedBy =
                    i.operator() != null && Boolean.TRUE.equals(i.operator().managed())
                            ? i.operator().principal()
                            : null;
            for (NetworkInterfacePrivateIpAddress ip : i.privateIpAddresses()) {
                if (wanted != null && !wanted.contains(ip.privateIpAddress())) {
                    continue;
                }
                owners.add(new AddressOwner(
                        ip.privateIpAddress(),
                        i.networkInterfaceId(),
                        i.interfaceTypeAsString(),
                        i.description(),
                        i.requesterId(),
                        Boolean.TRUE.equals(ip.primary()),
                        instance,
                        name(nodes, instance),
                        i.subnetId(),
                        i.availabilityZone(),
                        tags,
                        null,
                        managedBy,
                        cluster(nodes, instance),
                        null));
            }
            List<String> prefixes = new ArrayList<>();
            i.ipv4Prefixes().forEach(p -> prefixes.add(p.ipv4Prefix()));
            i.ipv6Prefixes().forEach(p -> prefixes.add(p.ipv6Prefix()));
            for (String prefix : prefixes) {
                AddressOwner owner = new AddressOwner(
                        prefix,
                        i.networkInterfaceId(),
                        i.interfaceTypeAsString(),
                        i.description(),
                        i.requesterId(),
                        false,
                        instance,
                        name(nodes, instance),
                        i.subnetId(),
                        i.availabilityZone(),
                        tags,
                        prefix,
                        managedBy,
                        cluster(nodes, instance),
                        null);
                if (wanted == null) {
                    owners.add(owner);
                } else {
                    Prefixes.within(prefix, wanted).forEach(address -> owners.add(owner.of(address)));
                }
            }
        }
        return owners;
    }

    /** What an instance's tags say: its {@code Name}, and the EKS cluster it is a node of. */
    private record Node(@Nullable String name, @Nullable String cluster) {}

    private static @Nullable String name(Map<String, Node> nodes, @Nullable String instance) {
        Node node = instance == null ? null : nodes.get(instance);
        return node == null ? null : node.name();
    }

    private static @Nullable String cluster(Map<String, Node> nodes, @Nullable String instance) {
        Node node = instance == null ? null : nodes.get(instance);
        return node == null ? null : node.cluster();
    }

    /** EKS's tag on a managed node group's instances. */
    private static final String EKS_CLUSTER_TAG = "eks:cluster-name";

    /** The tag every node of a cluster carries, {@code kubernetes.io/cluster/<name>}: owned or shared. */
    private static final String KUBERNETES_CLUSTER_TAG = "kubernetes.io/cluster/";

    /**
     * The instances' tags: DescribeInstances by {@code instance-id}, managed instances included (DescribeTags cannot
     * ask for those, and an EKS Auto Mode node is one).
     */
    private Map<String, Node> instances(Place place, List<NetworkInterface> interfaces) {
        List<String> instances = interfaces.stream()
                .map(i -> i.attachment() == null ? null : i.attachment().instanceId())
                .filter(java.util.Objects::nonNull)
                .distinct()
                .toList();
        Map<String, Node> nodes = new HashMap<>();
        for (List<String> chunk : Ec2Filters.chunks(instances, 0)) {
            clients.ec2(place)
                    .describeInstancesPaginator(r -> r.filters(Ec2Filters.filter("instance-id", chunk))
                            .includeManagedResources(true)
                            .maxResults(1000))
                    .reservations()
                    .forEach(reservation -> reservation.instances().forEach(instance -> {
                        String name = null;
                        String cluster = null;
                        for (Tag t : instance.tags()) {
                            if (t.key().equals("Name")) {
                                name = t.value();
                            } else if (t.key().equals(EKS_CLUSTER_TAG)) {
                                cluster = t.value();
                            } else if (t.key().startsWith(KUBERNETES_CLUSTER_TAG) && cluster == null) {
                                cluster = t.key().substring(KUBERNETES_CLUSTER_TAG.length());
                            }
                        }
                        nodes.put(instance.instanceId(), new Node(name, cluster));
                    }));
        }
        return nodes;
    }
}
