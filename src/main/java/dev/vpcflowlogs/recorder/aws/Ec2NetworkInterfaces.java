package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.recording.ProviderException;
import dev.vpcflowlogs.recorder.report.AddressOwner;
import dev.vpcflowlogs.recorder.report.NetworkInterfaces;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayAddress;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;

/**
 * Who holds a VPC's addresses: DescribeNetworkInterfaces (filters {@code vpc-id}, {@code addresses.private-ip-address}
 * and {@code network-interface-id}, every page, through EC2's rate buckets like every describe), the prefixes delegated
 * to interfaces (DescribeInstances finds an interface by its exact IPv4 prefix), and the instances' {@code Name} tags
 * (DescribeInstances by {@code instance-id}). Every describe of
 * interfaces and instances sets {@code IncludeManagedResources}: where the account hides resources AWS services manage
 * (EKS Auto Mode nodes, ECS and Lambda managed instances), they are left out of the answer unless asked for.
 */
@Component
class Ec2NetworkInterfaces implements NetworkInterfaces {

    private final AwsClients clients;
    private final AwsErrors errors;
    private final InterfaceOwners owners;

    Ec2NetworkInterfaces(AwsClients clients, AwsErrors errors) {
        this.clients = clients;
        this.errors = errors;
        this.owners = new InterfaceOwners(clients);
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
            for (NetworkInterface i : interfacesOfVpc(place, vpcId)) {
                found.add(i);
                addresses += i.privateIpAddresses().size()
                        + i.ipv4Prefixes().size()
                        + i.ipv6Prefixes().size();
                if (addresses >= limit) {
                    break;
                }
            }
            return owners.of(place, found, null);
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeNetworkInterfaces", e);
        }
    }

    /**
     * By the {@code addresses.private-ip-address} filter first; an address it does not find may be in a prefix, which
     * no DescribeNetworkInterfaces filter finds: an IPv4 one through DescribeInstances' exact
     * {@code network-interface.ipv4-prefixes.ipv4-prefix} filter (EC2 delegates /28 prefixes, so the address's /28),
     * an IPv6 one by reading the VPC's interfaces.
     */
    @Override
    public List<AddressOwner> holding(Place place, String vpcId, Collection<String> addresses) {
        Map<String, NetworkInterface> found = new LinkedHashMap<>();
        String operation = "DescribeNetworkInterfaces";
        try {
            for (List<String> chunk : Ec2Filters.chunks(addresses, 1)) { // beside the vpc-id
                clients.ec2(place)
                        .describeNetworkInterfacesPaginator(r -> r.filters(
                                        Ec2Filters.filter("vpc-id", List.of(vpcId)),
                                        Ec2Filters.filter("addresses.private-ip-address", chunk))
                                .includeManagedResources(true)
                                .maxResults(1000))
                        .networkInterfaces()
                        .forEach(i -> found.put(i.networkInterfaceId(), i));
            }
            Set<String> held = new HashSet<>();
            found.values().forEach(i -> i.privateIpAddresses().forEach(a -> held.add(a.privateIpAddress())));
            List<String> missing =
                    addresses.stream().filter(a -> !held.contains(a)).distinct().toList();
            Map<String, String> prefixes = new LinkedHashMap<>(); // the /28 an IPv4 address would be delegated in
            boolean ipv6Missing = false;
            for (String address : missing) {
                String prefix = Prefixes.ipv4Delegated(address);
                if (prefix != null) {
                    prefixes.putIfAbsent(prefix, address);
                } else if (address.indexOf(':') >= 0) {
                    ipv6Missing = true;
                }
            }
            if (!prefixes.isEmpty()) {
                operation = "DescribeInstances";
                List<String> ids = interfacesWithPrefixes(place, vpcId, prefixes.keySet());
                operation = "DescribeNetworkInterfaces";
                for (List<String> chunk : Ec2Filters.chunks(ids, 0)) {
                    clients.ec2(place)
                            .describeNetworkInterfacesPaginator(
                                    r -> r.filters(Ec2Filters.filter("network-interface-id", chunk))
                                            .includeManagedResources(true)
                                            .maxResults(1000))
                            .networkInterfaces()
                            .forEach(i -> found.putIfAbsent(i.networkInterfaceId(), i));
                }
            }
            if (ipv6Missing) {
                for (NetworkInterface i : interfacesOfVpc(place, vpcId)) {
                    if (i.hasIpv6Prefixes() && !i.ipv6Prefixes().isEmpty()) {
                        found.putIfAbsent(i.networkInterfaceId(), i);
                    }
                }
            }
            return owners.of(place, List.copyOf(found.values()), Set.copyOf(addresses));
        } catch (SdkException e) {
            throw errors.translate(place, operation, e);
        }
    }

    /** Every interface of the VPC, managed ones included, every page. */
    private Iterable<NetworkInterface> interfacesOfVpc(Place place, String vpcId) {
        return clients.ec2(place)
                .describeNetworkInterfacesPaginator(r -> r.filters(Ec2Filters.filter("vpc-id", List.of(vpcId)))
                        .includeManagedResources(true)
                        .maxResults(1000))
                .networkInterfaces();
    }

    /** The interfaces of the VPC's instances that hold any of these IPv4 prefixes (DescribeInstances, every page). */
    private List<String> interfacesWithPrefixes(Place place, String vpcId, Collection<String> prefixes) {
        Set<String> ids = new LinkedHashSet<>();
        for (List<String> chunk : Ec2Filters.chunks(prefixes, 1)) { // beside the vpc-id
            clients.ec2(place)
                    .describeInstancesPaginator(r -> r.filters(
                                    Ec2Filters.filter("vpc-id", List.of(vpcId)),
                                    Ec2Filters.filter("network-interface.ipv4-prefixes.ipv4-prefix", chunk))
                            .includeManagedResources(true)
                            .maxResults(1000))
                    .reservations()
                    .forEach(reservation -> reservation.instances().forEach(instance -> instance.networkInterfaces()
                            .forEach(i -> {
                                if (i.ipv4Prefixes().stream().anyMatch(p -> chunk.contains(p.ipv4Prefix()))) {
                                    ids.add(i.networkInterfaceId());
                                }
                            })));
        }
        return List.copyOf(ids);
    }
}
