package dev.vpcflowlogs.recorder.standin;

import dev.vpcflowlogs.recorder.standin.AwsStandIn.FlowLog;
import dev.vpcflowlogs.recorder.standin.Wire.ApiError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * EC2's state in one account and region: NAT gateways (zonal, and regional with their zones), network interfaces,
 * flow logs and client tokens. CreateFlowLogs' per-resource failures (InvalidNetworkInterfaceID.NotFound,
 * NatGatewayNotFound, FlowLogAlreadyExists for the same resource, traffic type and group) and
 * IdempotentParameterMismatch for a token reused with other parameters follow the EC2 API reference, CreateFlowLogs.
 */
final class Ec2State {

    /**
     * A NAT gateway: a zonal one has an interface per address; a regional one ({@code availabilityMode regional}) an
     * address per Availability Zone and, in the stricter reading of the EC2 API reference (NatGatewayAddress lists
     * {@code AvailabilityZone} "for regional NAT gateways only"), no interface the recorder could use.
     */
    record Gateway(
            String id,
            String state,
            String mode,
            List<String> interfaceIds,
            List<String> zones,
            Map<String, String> tags) {

        boolean regional() {
            return "regional".equals(mode);
        }

        Gateway withState(String value) {
            return new Gateway(id, value, mode, interfaceIds, zones, tags);
        }

        Gateway withTags(Map<String, String> value) {
            return new Gateway(id, state, mode, interfaceIds, zones, Map.copyOf(value));
        }
    }

    record Unsuccessful(String resourceId, String code, String message) {}

    /**
     * A network interface as DescribeNetworkInterfaces tells it: its private addresses (the first is its primary),
     * who made it ({@code requesterId} for an AWS service's), what it is attached to (and at which device index: 0 is
     * the instance's primary interface), its tags, the prefixes delegated to it, and the AWS service that manages it
     * ({@code operator.principal}), if any.
     */
    record Eni(
            String id,
            String interfaceType,
            String description,
            String requesterId,
            String vpcId,
            String subnetId,
            String availabilityZone,
            List<String> privateIps,
            String instanceId,
            Map<String, String> tags,
            int deviceIndex,
            List<String> ipv4Prefixes,
            List<String> ipv6Prefixes,
            String managedBy) {

        Eni(
                String id,
                String interfaceType,
                String description,
                String requesterId,
                String vpcId,
                String subnetId,
                String availabilityZone,
                List<String> privateIps,
                String instanceId,
                Map<String, String> tags) {
            this(
                    id,
                    interfaceType,
                    description,
                    requesterId,
                    vpcId,
                    subnetId,
                    availabilityZone,
                    privateIps,
                    instanceId,
                    tags,
                    0,
                    List.of(),
                    List.of(),
                    null);
        }

        Eni withIpv4Prefixes(List<String> prefixes) {
            return new Eni(
                    id,
                    interfaceType,
                    description,
                    requesterId,
                    vpcId,
                    subnetId,
                    availabilityZone,
                    privateIps,
                    instanceId,
                    tags,
                    deviceIndex,
                    List.copyOf(prefixes),
                    ipv6Prefixes,
                    managedBy);
        }

        Eni withIps(List<String> ips) {
            return new Eni(
                    id,
                    interfaceType,
                    description,
                    requesterId,
                    vpcId,
                    subnetId,
                    availabilityZone,
                    List.copyOf(ips),
                    instanceId,
                    tags,
                    deviceIndex,
                    ipv4Prefixes,
                    ipv6Prefixes,
                    managedBy);
        }
    }

    static final String VPC = "vpc-0123456789abcdef0";

    private final Map<String, Eni> enis = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> instanceTags = new LinkedHashMap<>();

    synchronized void addInterface(Eni eni) {
        enis.put(eni.id(), eni);
        interfaces.add(eni.id());
    }

    synchronized void tagInstance(String instanceId, Map<String, String> tags) {
        instanceTags.put(instanceId, Map.copyOf(tags));
    }

    /** The address leaves whichever interface holds it and goes to another (a pod rescheduled, a task replaced). */
    synchronized void moveAddress(String ip, String toInterfaceId) {
        enis.replaceAll((id, e) -> e.privateIps().contains(ip)
                ? e.withIps(e.privateIps().stream().filter(a -> !a.equals(ip)).toList())
                : e);
        Eni target = enis.get(toInterfaceId);
        List<String> ips = new ArrayList<>(target.privateIps());
        ips.add(ip);
        enis.put(toInterfaceId, target.withIps(ips));
    }

    /**
     * Whether the account hides the resources AWS services manage from Describe calls that do not set
     * IncludeManagedResources (EC2 ModifyManagedResourceVisibility). Hidden here unless a test says otherwise: the
     * stricter reading, since the recorder must find them either way.
     */
    private boolean managedResourcesHidden = true;

    synchronized void managedResourcesHidden(boolean hidden) {
        managedResourcesHidden = hidden;
    }

    synchronized boolean managedResourcesHidden() {
        return managedResourcesHidden;
    }

    synchronized void delegatePrefixes(String interfaceId, List<String> prefixes) {
        Eni e = enis.get(interfaceId);
        List<String> all = new ArrayList<>(e.ipv4Prefixes());
        all.addAll(prefixes);
        enis.put(interfaceId, e.withIpv4Prefixes(all));
    }

    /** The instance leaves: its interfaces with it (a node scaled in). */
    synchronized void terminate(String instanceId) {
        List<String> gone = enis.values().stream()
                .filter(e -> instanceId.equals(e.instanceId()))
                .map(Eni::id)
                .toList();
        gone.forEach(enis::remove);
        interfaces.removeAll(gone);
        instanceTags.remove(instanceId);
    }

    synchronized List<Eni> enis() {
        return List.copyOf(enis.values());
    }

    synchronized Map<String, String> instanceTags(String instanceId) {
        return instanceTags.getOrDefault(instanceId, Map.of());
    }

    record Created(List<String> flowLogIds, List<Unsuccessful> unsuccessful) {}

    private record TokenUse(String fingerprint, Created result) {}

    private final Map<String, Gateway> gateways = new LinkedHashMap<>();
    private final Set<String> interfaces = new TreeSet<>();
    private final Map<String, FlowLog> flowLogs = new LinkedHashMap<>();
    private final List<FlowLog> history = new ArrayList<>();
    private final Map<String, TokenUse> tokens = new HashMap<>();
    private final Random ids = new Random();
    private int created;
    private java.time.Duration visibilityDelay = java.time.Duration.ZERO;

    /** Every flow log CreateFlowLogs made, deleted ones too. */
    synchronized List<FlowLog> history() {
        return List.copyOf(history);
    }

    synchronized int created() {
        return created;
    }

    synchronized void addNatGateway(String id, String state, List<String> interfaceIds) {
        gateways.put(id, new Gateway(id, state, "zonal", List.copyOf(interfaceIds), List.of(), Map.of()));
        interfaces.addAll(interfaceIds);
        int n = enis.size();
        for (String eni : new java.util.LinkedHashSet<>(interfaceIds)) {
            if (!enis.containsKey(eni)) {
                n++;
                enis.put(
                        eni,
                        new Eni(
                                eni,
                                "nat_gateway",
                                "Interface for NAT Gateway " + id,
                                "amazon-nat-gateway",
                                VPC,
                                "subnet-0aaaaaaaaaaaaaaa1",
                                "us-east-1a",
                                List.of("10.0.0." + (200 + n)),
                                null,
                                Map.of()));
            }
        }
    }

    synchronized void addRegionalNatGateway(String id, List<String> zones) {
        gateways.put(id, new Gateway(id, "available", "regional", List.of(), List.copyOf(zones), Map.of()));
    }

    synchronized void setNatGatewayState(String id, String state) {
        gateways.put(id, gateways.get(id).withState(state));
    }

    synchronized void setNatGatewayTags(String id, Map<String, String> tags) {
        gateways.put(id, gateways.get(id).withTags(tags));
    }

    synchronized List<Gateway> gateways(List<String> ids) {
        if (ids.isEmpty()) {
            return List.copyOf(gateways.values());
        }
        List<Gateway> found = new ArrayList<>();
        for (String id : ids) {
            Gateway g = gateways.get(id);
            if (g == null) {
                throw new ApiError(400, "NatGatewayNotFound", "The Nat Gateway " + id + " was not found");
            }
            found.add(g);
        }
        return found;
    }

    synchronized String createForeign(String interfaceId, String logGroup) {
        return createTagged(interfaceId, logGroup, Map.of("owner", "someone-else"));
    }

    synchronized String createTagged(String interfaceId, String logGroup, Map<String, String> tags) {
        return createTagged("NetworkInterface", interfaceId, logGroup, tags);
    }

    synchronized String createTagged(
            String resourceType, String resourceId, String logGroup, Map<String, String> tags) {
        String id = newId();
        flowLogs.put(
                id,
                new FlowLog(
                        id,
                        resourceType,
                        resourceId,
                        "ALL",
                        logGroup,
                        "arn:aws:iam::123456789012:role/delivery",
                        "${version} ${srcaddr}",
                        60,
                        Map.copyOf(tags),
                        Instant.now().minusSeconds(3600),
                        null));
        return id;
    }

    synchronized List<FlowLog> flowLogs() {
        return List.copyOf(flowLogs.values());
    }

    /** What DescribeFlowLogs sees: a flow log created within the visibility delay is not listed yet. */
    synchronized List<FlowLog> visibleFlowLogs() {
        Instant cutoff = Instant.now().minus(visibilityDelay);
        return flowLogs.values().stream()
                .filter(f -> !f.createdAt().isAfter(cutoff))
                .toList();
    }

    synchronized void visibilityDelay(java.time.Duration delay) {
        this.visibilityDelay = delay;
    }

    synchronized void failDelivery(String flowLogId, String message) {
        FlowLog f = flowLogs.get(flowLogId);
        if (f == null) {
            throw new IllegalArgumentException("no flow log " + flowLogId);
        }
        flowLogs.put(flowLogId, f.withDeliveryError(message));
    }

    /**
     * CreateFlowLogs for network interfaces or regional NAT gateways, with AWS's validation, idempotency and
     * per-resource failures. A zonal gateway's id with {@code RegionalNatGateway} refuses the whole call (the stricter
     * reading: AWS does not document whether it comes back in Unsuccessful instead).
     */
    synchronized Created create(
            String clientToken,
            String fingerprint,
            String resourceType,
            List<String> resourceIds,
            String trafficType,
            String logGroupName,
            String roleArn,
            String logFormat,
            int maxAggregationInterval,
            Map<String, String> tags) {
        if (clientToken != null) {
            TokenUse previous = tokens.get(clientToken);
            if (previous != null) {
                if (!previous.fingerprint().equals(fingerprint)) {
                    throw new ApiError(
                            400,
                            "IdempotentParameterMismatch",
                            "The client token " + clientToken + " was used with other parameters");
                }
                return previous.result();
            }
        }
        boolean regional = "RegionalNatGateway".equals(resourceType);
        if (regional) {
            for (String resourceId : resourceIds) {
                Gateway g = gateways.get(resourceId);
                if (g != null && !g.regional()) {
                    throw new ApiError(
                            400,
                            "InvalidParameterValue",
                            resourceId
                                    + " is a zonal NAT gateway: ResourceType RegionalNatGateway takes regional ones");
                }
            }
        }
        List<String> created = new ArrayList<>();
        List<Unsuccessful> unsuccessful = new ArrayList<>();
        for (String resourceId : resourceIds) {
            if (regional && !gateways.containsKey(resourceId)) {
                unsuccessful.add(new Unsuccessful(
                        resourceId, "NatGatewayNotFound", "The Nat Gateway " + resourceId + " was not found"));
                continue;
            }
            if (!regional && !interfaces.contains(resourceId)) {
                unsuccessful.add(new Unsuccessful(
                        resourceId,
                        "InvalidNetworkInterfaceID.NotFound",
                        "The networkInterface ID '" + resourceId + "' does not exist"));
                continue;
            }
            boolean exists = flowLogs.values().stream()
                    .anyMatch(f -> f.resourceId().equals(resourceId)
                            && f.logGroupName().equals(logGroupName)
                            && f.trafficType().equals(trafficType));
            if (exists) {
                unsuccessful.add(new Unsuccessful(
                        resourceId,
                        "FlowLogAlreadyExists",
                        "This combination of resource, traffic type and log group already has a flow log"));
                continue;
            }
            String id = newId();
            flowLogs.put(
                    id,
                    new FlowLog(
                            id,
                            resourceType,
                            resourceId,
                            trafficType,
                            logGroupName,
                            roleArn,
                            logFormat,
                            maxAggregationInterval,
                            Map.copyOf(tags),
                            Instant.now(),
                            null));
            created.add(id);
            history.add(flowLogs.get(id));
            this.created++;
        }
        Created result = new Created(List.copyOf(created), List.copyOf(unsuccessful));
        if (clientToken != null) {
            tokens.put(clientToken, new TokenUse(fingerprint, result));
        }
        return result;
    }

    /** DeleteFlowLogs: ids that do not exist come back as Unsuccessful, as AWS does. */
    synchronized List<Unsuccessful> delete(List<String> ids) {
        List<Unsuccessful> unsuccessful = new ArrayList<>();
        for (String id : ids) {
            if (flowLogs.remove(id) == null) {
                unsuccessful.add(
                        new Unsuccessful(id, "InvalidFlowLogId.NotFound", "Flow log ID '" + id + "' does not exist"));
            }
        }
        return unsuccessful;
    }

    private String newId() {
        byte[] bytes = new byte[9];
        ids.nextBytes(bytes);
        return "fl-" + HexFormat.of().formatHex(bytes).substring(0, 17);
    }
}
