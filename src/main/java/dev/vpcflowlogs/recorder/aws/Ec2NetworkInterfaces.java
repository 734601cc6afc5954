package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.recording.ProviderException;
import dev.vpcflowlogs.recorder.report.AddressOwner;
import dev.vpcflowlogs.recorder.report.NetworkInterfaces;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayAddress;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.NetworkInterfacePrivateIpAddress;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Who holds a VPC's addresses: DescribeNetworkInterfaces (filters {@code vpc-id}, {@code addresses.private-ip-address}
 * and {@code network-interface-id}, every page, through EC2's rate buckets like every describe), and the instances'
 * {@code Name} tags with DescribeTags (filters {@code resource-id} and {@code key=Name}: the tags, not the instances).
 */
@Component
class Ec2NetworkInterfaces implements NetworkInterfaces {

    private final AwsClients clients;
    private final AwsErrors errors;

    Ec2NetworkInterfaces(AwsClients clients, AwsErrors errors) {
        this.clients = clients;
        this.errors = errors;
    }

    @Override
    public GatewayNetwork networkOf(Place place, String natGatewayId) {
        Ec2Client ec2 = clients.ec2(place);
        List<NatGateway> gateways;
        try {
            gateways =
                    ec2.describeNatGateways(r -> r.natGatewayIds(natGatewayId)).natGateways();
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeNatGateways", e);
        }
        try {
            if (gateways.isEmpty()) {
                throw new ProviderException(
                        "DescribeNatGateways", "NatGatewayNotFound", natGatewayId + " does not exist", false, null);
            }
            NatGateway gateway = gateways.get(0);
            Set<String> zones = new TreeSet<>();
            List<String> interfaces = new ArrayList<>();
            for (NatGatewayAddress address : gateway.natGatewayAddresses()) {
                if (address.availabilityZone() != null) {
                    zones.add(address.availabilityZone());
                }
                if (address.networkInterfaceId() != null) {
                    interfaces.add(address.networkInterfaceId());
                }
            }
            if (zones.isEmpty() && !interfaces.isEmpty()) {
                ec2.describeNetworkInterfacesPaginator(
                                r -> r.filters(Ec2Filters.filter("network-interface-id", interfaces)))
                        .networkInterfaces()
                        .forEach(i -> zones.add(i.availabilityZone()));
            }
            return new GatewayNetwork(gateway.vpcId(), List.copyOf(zones));
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeNetworkInterfaces", e);
        }
    }

    /** DescribeNatGateways by the {@code nat-gateway-id} filter, {@value Ec2Filters#MAX_VALUES} a call. */
    @Override
    public Map<String, String> vpcsOf(Place place, Collection<String> natGatewayIds) {
        try {
            Map<String, String> vpcs = new HashMap<>();
            Ec2Filters.natGateways(clients.ec2(place), natGatewayIds).forEach((id, g) -> vpcs.put(id, g.vpcId()));
            return vpcs;
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeNatGateways", e);
        }
    }

    @Override
    public List<AddressOwner> everyAddressOf(Place place, String vpcId, int limit) {
        try {
            List<NetworkInterface> found = new ArrayList<>();
            int addresses = 0;
            for (NetworkInterface i : clients.ec2(place)
                    .describeNetworkInterfacesPaginator(r -> r.filters(Ec2Filters.filter("vpc-id", List.of(vpcId)))
                            .maxResults(1000))
                    .networkInterfaces()) {
                found.add(i);
                addresses += i.privateIpAddresses().size();
                if (addresses >= limit) {
                    break;
                }
            }
            return owners(place, found, null);
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeNetworkInterfaces", e);
        }
    }

    @Override
    public List<AddressOwner> holding(Place place, String vpcId, Collection<String> addresses) {
        List<NetworkInterface> found = new ArrayList<>();
        try {
            for (List<String> chunk : Ec2Filters.chunks(addresses, 1)) { // beside the vpc-id
                clients.ec2(place)
                        .describeNetworkInterfacesPaginator(r -> r.filters(
                                        Ec2Filters.filter("vpc-id", List.of(vpcId)),
                                        Ec2Filters.filter("addresses.private-ip-address", chunk))
                                .maxResults(1000))
                        .networkInterfaces()
                        .forEach(found::add);
            }
            return owners(place, found, Set.copyOf(addresses));
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeNetworkInterfaces", e);
        }
    }

    /** One owner per address of these interfaces (only {@code wanted} ones, if given), with their instances' names. */
    private List<AddressOwner> owners(Place place, List<NetworkInterface> interfaces, @Nullable Set<String> wanted) {
        Map<String, String> names = instanceNames(place, interfaces);
        List<AddressOwner> owners = new ArrayList<>();
        for (NetworkInterface i : interfaces) {
            Map<String, String> tags = new HashMap<>();
            for (Tag t : i.tagSet()) {
                tags.put(t.key(), t.value());
            }
            String instance = i.attachment() == null ? null : i.attachment().instanceId();
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
                        instance == null ? null : names.get(instance),
                        i.subnetId(),
                        i.availabilityZone(),
                        tags));
            }
        }
        return owners;
    }

    private Map<String, String> instanceNames(Place place, List<NetworkInterface> interfaces) {
        List<String> instances = interfaces.stream()
                .map(i -> i.attachment() == null ? null : i.attachment().instanceId())
                .filter(java.util.Objects::nonNull)
                .distinct()
                .toList();
        Map<String, String> names = new HashMap<>();
        for (List<String> chunk : Ec2Filters.chunks(instances, 1)) { // beside key=Name
            clients.ec2(place)
                    .describeTagsPaginator(r -> r.filters(
                            Ec2Filters.filter("resource-id", chunk), Ec2Filters.filter("key", List.of("Name"))))
                    .tags()
                    .forEach(t -> names.put(t.resourceId(), t.value()));
        }
        return names;
    }
}
