package dev.vpcflowlogs.recorder.standin;

import static dev.vpcflowlogs.recorder.standin.Xml.element;

import dev.vpcflowlogs.recorder.standin.AwsStandIn.FlowLog;
import dev.vpcflowlogs.recorder.standin.Wire.ApiError;
import dev.vpcflowlogs.recorder.standin.Wire.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EC2, query protocol: {@code Name.N} lists in, XML with {@code item} lists out. The rules it enforces, from the EC2 API
 * reference (docs/aws-behaviour.md, "EC2: flow logs" and "EC2: NAT gateways", has each with its source):
 * CreateFlowLogs' resource types and 300 ids, CloudWatch Logs destinations with a delivery role of the caller's account
 * (another only with DeliverCrossAccountRole), TrafficType, ClientToken idempotency, DryRun; DeleteFlowLogs' 1000 ids
 * and {@code Unsuccessful} for missing ones; the Describe actions' filters (unknown ones refused) and at most 200 filter
 * values a call (FilterLimitExceeded); paging.
 */
final class Ec2Api {

    private static final Logger log = LoggerFactory.getLogger(Ec2Api.class);
    private static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private Ec2Api() {}

    /**
     * One EC2 action. A dry run validates the request as the action would, then answers DryRunOperation (412) with
     * nothing done: the EC2 API reference, DryRun: "Checks whether you have the required permissions for the action,
     * without actually making the request".
     */
    static Response handle(AwsStandIn standIn, String action, Map<String, String> params, boolean dryRun) {
        return switch (action) {
            case "DescribeNatGateways" -> dryRunOr(dryRun, describeNatGateways(standIn, params));
            case "CreateFlowLogs" -> createFlowLogs(standIn, params, dryRun);
            case "DeleteFlowLogs" -> deleteFlowLogs(standIn, params, dryRun);
            case "DescribeFlowLogs" -> dryRunOr(dryRun, describeFlowLogs(standIn, params));
            case "DescribeNetworkInterfaces" -> dryRunOr(dryRun, describeNetworkInterfaces(standIn, params));
            case "DescribeTags" -> dryRunOr(dryRun, describeTags(standIn, params));
            case "DescribeInstances" -> dryRunOr(dryRun, describeInstances(standIn, params));
            default ->
                throw new ApiError(
                        400, "InvalidAction", "The action " + action + " is not valid for this web service.");
        };
    }

    private static Response dryRunOr(boolean dryRun, Response answer) {
        if (dryRun) {
            throw new ApiError(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
        }
        return answer;
    }

    private static Response describeNatGateways(AwsStandIn standIn, Map<String, String> params) {
        Map<String, List<String>> filters = filters(params);
        List<Ec2State.Gateway> matching = standIn.ec2().gateways(list(params, "NatGatewayId")).stream()
                .filter(g -> filters.entrySet().stream().allMatch(f -> matches(g, f.getKey(), f.getValue())))
                .toList();
        Page<Ec2State.Gateway> page = Page.of(matching, params, 5);
        StringBuilder items = new StringBuilder();
        for (Ec2State.Gateway g : page.items()) {
            items.append("<item>")
                    .append(element("natGatewayId", g.id()))
                    .append(element("state", g.state()))
                    .append(element("vpcId", "vpc-0123456789abcdef0"))
                    .append(g.regional() ? "" : element("subnetId", "subnet-0123456789abcdef0"))
                    .append(element("connectivityType", "public"))
                    .append(element("availabilityMode", g.mode()))
                    .append("<natGatewayAddressSet>");
            int n = 1;
            for (String eni : g.interfaceIds()) {
                items.append("<item>")
                        .append(element("networkInterfaceId", eni))
                        .append(element("privateIp", "10.0.0." + n))
                        .append(element("publicIp", "203.0.113." + n))
                        .append(element("allocationId", "eipalloc-" + n))
                        .append("</item>");
                n++;
            }
            for (String zone : g.zones()) {
                items.append("<item>")
                        .append(element("privateIp", "10.0." + n + ".1"))
                        .append(element("publicIp", "203.0.113." + n))
                        .append(element("allocationId", "eipalloc-" + n))
                        .append(element("availabilityZone", zone))
                        .append("</item>");
                n++;
            }
            items.append("</natGatewayAddressSet><tagSet>");
            g.tags().forEach((k, v) -> items.append("<item>")
                    .append(element("key", k))
                    .append(element("value", v))
                    .append("</item>"));
            items.append("</tagSet></item>");
        }
        return ok("DescribeNatGatewaysResponse", standIn, "<natGatewaySet>" + items + "</natGatewaySet>" + page.next());
    }

    /** CreateFlowLogs.ResourceIds: "Maximum of 25 for transit gateway resource types. Maximum of 300 for the other". */
    static final int MAX_RESOURCES = 300;

    private static Response createFlowLogs(AwsStandIn standIn, Map<String, String> params, boolean dryRun) {
        String resourceType = params.get("ResourceType");
        if (!List.of("NetworkInterface", "RegionalNatGateway").contains(String.valueOf(resourceType))) {
            throw new ApiError(
                    400,
                    "InvalidParameterValue",
                    "the stand-in records network interfaces and regional NAT gateways only, not " + resourceType);
        }
        List<String> resources = list(params, "ResourceId");
        if (resources.isEmpty() || resources.size() > MAX_RESOURCES) {
            throw new ApiError(400, "InvalidParameterValue", "ResourceIds must hold 1 to " + MAX_RESOURCES + " ids");
        }
        String destinationType = params.getOrDefault("LogDestinationType", "cloud-watch-logs");
        String logGroup = params.get("LogGroupName");
        if (!destinationType.equals("cloud-watch-logs") || logGroup == null) {
            throw new ApiError(
                    400, "InvalidParameter", "the stand-in takes CloudWatch Logs destinations with LogGroupName");
        }
        String role = params.get("DeliverLogsPermissionArn");
        if (role == null || !role.startsWith("arn:aws:iam::")) {
            throw new ApiError(400, "InvalidParameter", "Unable to assume given IAM role");
        }
        // A delivery role of another account works only through DeliverCrossAccountRole (EC2 API reference,
        // CreateFlowLogs): without it, the stricter reading refuses it as AWS refuses a role it cannot assume.
        String roleAccount = role.split(":")[4];
        if (!roleAccount.equals(standIn.tenantHere().where.account())
                && !params.containsKey("DeliverCrossAccountRole")) {
            throw new ApiError(400, "InvalidParameter", "Unable to assume given IAM role " + role);
        }
        String traffic = params.get("TrafficType");
        if (!List.of("ACCEPT", "REJECT", "ALL").contains(String.valueOf(traffic))) {
            throw new ApiError(400, "InvalidParameterValue", "TrafficType must be ACCEPT, REJECT or ALL");
        }
        int interval = Integer.parseInt(params.getOrDefault("MaxAggregationInterval", "600"));
        if (interval != 60 && interval != 600) {
            throw new ApiError(400, "InvalidParameterValue", "MaxAggregationInterval must be 60 or 600");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (int spec = 1; params.containsKey("TagSpecification." + spec + ".ResourceType"); spec++) {
            if (!"vpc-flow-log".equals(params.get("TagSpecification." + spec + ".ResourceType"))) {
                throw new ApiError(400, "InvalidParameterValue", "tags must be for vpc-flow-log");
            }
            for (int t = 1; params.containsKey("TagSpecification." + spec + ".Tag." + t + ".Key"); t++) {
                tags.put(
                        params.get("TagSpecification." + spec + ".Tag." + t + ".Key"),
                        params.get("TagSpecification." + spec + ".Tag." + t + ".Value"));
            }
        }
        tagFields(params);
        if (dryRun) {
            dryRunOr(true, null);
        }
        Map<String, String> fingerprint = new TreeMap<>(params);
        fingerprint.remove("ClientToken");
        String token = params.get("ClientToken");
        if (token != null && token.length() > 64) {
            throw new ApiError(400, "InvalidParameterValue", "ClientToken is longer than 64 characters");
        }
        Ec2State.Created created = standIn.ec2()
                .create(
                        token,
                        fingerprint.toString(),
                        resourceType,
                        resources,
                        traffic,
                        logGroup,
                        role,
                        params.get("LogFormat"),
                        interval,
                        tags);
        log.info(
                "Stand-in EC2: CreateFlowLogs on {} -> {}{}",
                resources,
                created.flowLogIds(),
                created.unsuccessful().isEmpty() ? "" : ", unsuccessful " + created.unsuccessful());
        // The API reference promises no order of FlowLogIds: the stand-in shuffles them, so nothing relies on one.
        List<String> answered = new ArrayList<>(created.flowLogIds());
        Collections.shuffle(answered);
        String body = element("clientToken", token)
                + "<flowLogIdSet>"
                + answered.stream().map(id -> element("item", id)).collect(Collectors.joining())
                + "</flowLogIdSet>" + unsuccessful(created.unsuccessful());
        return ok("CreateFlowLogsResponse", standIn, body);
    }

    /** The version 11 tag fields, by the resource type whose keys they show ("-2": the second key). */
    static final Map<String, List<String>> TAG_FIELDS = Map.of(
            "instance", List.of("instance-tag", "instance-tag-2"),
            "network-interface", List.of("interface-tag", "interface-tag-2"),
            "auto-scaling-group", List.of("asg-tag", "asg-tag-2"));

    /**
     * CreateFlowLogs.TagFieldSpecifications: ResourceType network-interface, instance or auto-scaling-group (SDK 2.57.8
     * TaggableResourceType) with TagKeys. The stricter reading: each type at most once with at most two keys (two
     * fields show them), and a tag field in LogFormat without its type's keys is refused.
     */
    private static void tagFields(Map<String, String> params) {
        Map<String, Integer> keys = new LinkedHashMap<>();
        for (int spec = 1; params.containsKey("TagFieldSpecification." + spec + ".ResourceType"); spec++) {
            String type = params.get("TagFieldSpecification." + spec + ".ResourceType");
            if (!TAG_FIELDS.containsKey(type) || keys.containsKey(type)) {
                throw new ApiError(
                        400,
                        "InvalidParameterValue",
                        "TagFieldSpecification ResourceType " + type
                                + " is not one of network-interface, instance, auto-scaling-group, or is given twice");
            }
            int count = 0;
            while (params.containsKey("TagFieldSpecification." + spec + ".TagKey." + (count + 1))) {
                count++;
            }
            if (count < 1 || count > 2) {
                throw new ApiError(400, "InvalidParameterValue", "TagFieldSpecification takes one or two TagKeys");
            }
            keys.put(type, count);
        }
        List<String> format = List.of(
                params.getOrDefault("LogFormat", "").replaceAll("[${}]", "").split(" "));
        TAG_FIELDS.forEach((type, fields) -> {
            int needed = format.contains(fields.get(1)) ? 2 : format.contains(fields.get(0)) ? 1 : 0;
            if (keys.getOrDefault(type, 0) < needed) {
                throw new ApiError(
                        400,
                        "InvalidParameter",
                        "LogFormat has ${" + fields.get(needed - 1)
                                + "} but TagFieldSpecifications names no such key for " + type);
            }
        });
    }

    private static Response deleteFlowLogs(AwsStandIn standIn, Map<String, String> params, boolean dryRun) {
        List<String> ids = list(params, "FlowLogId");
        // DeleteFlowLogs.FlowLogIds: "Constraint: Maximum of 1000 flow log IDs."
        if (ids.isEmpty() || ids.size() > 1000) {
            throw new ApiError(400, "InvalidParameterValue", "FlowLogIds must hold 1 to 1000 ids");
        }
        dryRunOr(dryRun, null);
        List<Ec2State.Unsuccessful> failed = standIn.ec2().delete(ids);
        log.info("Stand-in EC2: DeleteFlowLogs {}{}", ids, failed.isEmpty() ? "" : ", unsuccessful " + failed);
        return ok("DeleteFlowLogsResponse", standIn, unsuccessful(failed));
    }

    private static Response describeFlowLogs(AwsStandIn standIn, Map<String, String> params) {
        List<String> ids = list(params, "FlowLogId");
        Map<String, List<String>> filters = filters(params);
        List<FlowLog> matching = standIn.ec2().visibleFlowLogs().stream()
                .filter(f -> ids.isEmpty() || ids.contains(f.flowLogId()))
                .filter(f -> filters.entrySet().stream().allMatch(e -> matches(f, e.getKey(), e.getValue())))
                .toList();
        Page<FlowLog> page = Page.of(matching, params, 1);
        StringBuilder items = new StringBuilder();
        for (FlowLog f : page.items()) {
            items.append("<item>")
                    .append(element("creationTime", f.createdAt()))
                    .append(element("deliverLogsPermissionArn", f.deliverLogsPermissionArn()))
                    .append(element("deliverLogsStatus", f.deliverLogsErrorMessage() == null ? "SUCCESS" : "FAILED"))
                    .append(
                            f.deliverLogsErrorMessage() == null
                                    ? ""
                                    : element("deliverLogsErrorMessage", f.deliverLogsErrorMessage()))
                    .append(element("flowLogId", f.flowLogId()))
                    .append(element("flowLogStatus", "ACTIVE"))
                    .append(element("logGroupName", f.logGroupName()))
                    .append(element("resourceId", f.resourceId()))
                    .append(element("trafficType", f.trafficType()))
                    .append(element("logDestinationType", "cloud-watch-logs"))
                    .append(element("logFormat", f.logFormat()))
                    .append(element("maxAggregationInterval", f.maxAggregationInterval()))
                    .append("<tagSet>");
            f.tags().forEach((k, v) -> items.append("<item>")
                    .append(element("key", k))
                    .append(element("value", v))
                    .append("</item>"));
            items.append("</tagSet></item>");
        }
        return ok("DescribeFlowLogsResponse", standIn, "<flowLogSet>" + items + "</flowLogSet>" + page.next());
    }

    /**
     * DescribeNetworkInterfaces: NetworkInterfaceIds, the filters the recorder uses (EC2 API reference:
     * {@code addresses.private-ip-address}, {@code vpc-id}, {@code network-interface-id}, {@code subnet-id}; none finds
     * an address inside a delegated prefix) and pages of 5 to 1000. Interfaces an AWS service manages are left out
     * while the account hides them, unless IncludeManagedResources is true.
     */
    private static Response describeNetworkInterfaces(AwsStandIn standIn, Map<String, String> params) {
        List<String> ids = list(params, "NetworkInterfaceId");
        Map<String, List<String>> filters = filters(params);
        boolean includeManaged = includeManaged(standIn, params);
        List<Ec2State.Eni> matching = standIn.ec2().enis().stream()
                .filter(e -> ids.isEmpty() || ids.contains(e.id()))
                .filter(e -> includeManaged || e.managedBy() == null)
                .filter(e -> filters.entrySet().stream().allMatch(f -> matches(e, f.getKey(), f.getValue())))
                .toList();
        Page<Ec2State.Eni> page = Page.of(matching, params, 5);
        StringBuilder items = new StringBuilder();
        for (Ec2State.Eni e : page.items()) {
            items.append("<item>")
                    .append(element("networkInterfaceId", e.id()))
                    .append(element("interfaceType", e.interfaceType()))
                    .append(element("description", e.description()))
                    .append(element("requesterId", e.requesterId()))
                    .append(element("requesterManaged", e.requesterId() != null))
                    .append(element("vpcId", e.vpcId()))
                    .append(element("subnetId", e.subnetId()))
                    .append(element("availabilityZone", e.availabilityZone()))
                    .append(element("status", "in-use"))
                    .append(element(
                            "privateIpAddress",
                            e.privateIps().isEmpty() ? null : e.privateIps().get(0)));
            addresses(items, e);
            if (e.instanceId() != null) {
                items.append("<attachment>")
                        .append(element("instanceId", e.instanceId()))
                        .append(element("instanceOwnerId", "123456789012"))
                        .append(element("deviceIndex", e.deviceIndex()))
                        .append(element("status", "attached"))
                        .append("</attachment>");
            }
            items.append("<tagSet>");
            e.tags().forEach((k, v) -> items.append("<item>")
                    .append(element("key", k))
                    .append(element("value", v))
                    .append("</item>"));
            items.append("</tagSet></item>");
        }
        return ok(
                "DescribeNetworkInterfacesResponse",
                standIn,
                "<networkInterfaceSet>" + items + "</networkInterfaceSet>" + page.next());
    }

    /** An interface's private addresses, prefixes and operator, as both describes give them. */
    private static void addresses(StringBuilder items, Ec2State.Eni e) {
        items.append("<privateIpAddressesSet>");
        for (int i = 0; i < e.privateIps().size(); i++) {
            items.append("<item>")
                    .append(element("privateIpAddress", e.privateIps().get(i)))
                    .append(element("primary", i == 0))
                    .append("</item>");
        }
        items.append("</privateIpAddressesSet><ipv4PrefixSet>");
        e.ipv4Prefixes()
                .forEach(p ->
                        items.append("<item>").append(element("ipv4Prefix", p)).append("</item>"));
        items.append("</ipv4PrefixSet><ipv6PrefixSet>");
        e.ipv6Prefixes()
                .forEach(p ->
                        items.append("<item>").append(element("ipv6Prefix", p)).append("</item>"));
        items.append("</ipv6PrefixSet>");
        if (e.managedBy() != null) {
            items.append("<operator>")
                    .append(element("managed", true))
                    .append(element("principal", e.managedBy()))
                    .append(element("hiddenByDefault", true))
                    .append("</operator>");
        }
    }

    /**
     * Whether a describe shows managed resources: always while the account shows them, else only with
     * IncludeManagedResources=true (EC2 API reference, ModifyManagedResourceVisibility; DescribeInstances,
     * DescribeNetworkInterfaces: IncludeManagedResources).
     */
    private static boolean includeManaged(AwsStandIn standIn, Map<String, String> params) {
        return !standIn.ec2().managedResourcesHidden()
                || Boolean.parseBoolean(params.getOrDefault("IncludeManagedResources", "false"));
    }

    private static boolean matches(Ec2State.Eni e, String name, List<String> values) {
        return switch (name) {
            case "addresses.private-ip-address" -> e.privateIps().stream().anyMatch(values::contains);
            case "vpc-id" -> values.contains(e.vpcId());
            case "network-interface-id" -> values.contains(e.id());
            case "subnet-id" -> values.contains(e.subnetId());
            default -> throw new ApiError(400, "InvalidParameterValue", "unknown filter " + name);
        };
    }

    /**
     * DescribeInstances, the instances the stand-in's interfaces are attached to (one reservation each): filters
     * {@code instance-id}, {@code vpc-id} and {@code network-interface.ipv4-prefixes.ipv4-prefix} (the exact prefix, as
     * the EC2 API reference has it), pages of 5 to 1000, each instance with its tags and interfaces. An instance an AWS
     * service manages (one of its interfaces is managed) is left out as the account says, like its interfaces.
     */
    private static Response describeInstances(AwsStandIn standIn, Map<String, String> params) {
        Map<String, List<String>> filters = filters(params);
        List<String> ids = list(params, "InstanceId");
        boolean includeManaged = includeManaged(standIn, params);
        Map<String, List<Ec2State.Eni>> instances = new LinkedHashMap<>();
        for (Ec2State.Eni e : standIn.ec2().enis()) {
            if (e.instanceId() != null) {
                instances
                        .computeIfAbsent(e.instanceId(), k -> new ArrayList<>())
                        .add(e);
            }
        }
        List<Map.Entry<String, List<Ec2State.Eni>>> matching = instances.entrySet().stream()
                .filter(i -> ids.isEmpty() || ids.contains(i.getKey()))
                .filter(i -> includeManaged || i.getValue().stream().allMatch(e -> e.managedBy() == null))
                .filter(i -> filters.entrySet().stream()
                        .allMatch(f -> matches(i.getKey(), i.getValue(), f.getKey(), f.getValue())))
                .toList();
        Page<Map.Entry<String, List<Ec2State.Eni>>> page = Page.of(matching, params, 5);
        StringBuilder items = new StringBuilder();
        for (Map.Entry<String, List<Ec2State.Eni>> instance : page.items()) {
            Ec2State.Eni primary = instance.getValue().stream()
                    .filter(e -> e.deviceIndex() == 0)
                    .findFirst()
                    .orElse(instance.getValue().get(0));
            items.append("<item>")
                    .append(element("reservationId", "r-" + instance.getKey().substring(2)))
                    .append(element("ownerId", "123456789012"))
                    .append("<instancesSet><item>")
                    .append(element("instanceId", instance.getKey()))
                    .append("<instanceState><code>16</code><name>running</name></instanceState>")
                    .append(element("vpcId", primary.vpcId()))
                    .append(element("subnetId", primary.subnetId()))
                    .append(element(
                            "privateIpAddress",
                            primary.privateIps().isEmpty()
                                    ? null
                                    : primary.privateIps().get(0)));
            items.append("<tagSet>");
            standIn.ec2().instanceTags(instance.getKey()).forEach((k, v) -> items.append("<item>")
                    .append(element("key", k))
                    .append(element("value", v))
                    .append("</item>"));
            items.append("</tagSet><networkInterfaceSet>");
            for (Ec2State.Eni e : instance.getValue()) {
                items.append("<item>")
                        .append(element("networkInterfaceId", e.id()))
                        .append(element("interfaceType", e.interfaceType()))
                        .append(element("description", e.description()))
                        .append(element("vpcId", e.vpcId()))
                        .append(element("subnetId", e.subnetId()))
                        .append("<attachment>")
                        .append(element("deviceIndex", e.deviceIndex()))
                        .append(element("status", "attached"))
                        .append("</attachment>");
                addresses(items, e);
                items.append("</item>");
            }
            items.append("</networkInterfaceSet></item></instancesSet></item>");
        }
        return ok("DescribeInstancesResponse", standIn, "<reservationSet>" + items + "</reservationSet>" + page.next());
    }

    private static boolean matches(String instanceId, List<Ec2State.Eni> enis, String name, List<String> values) {
        return switch (name) {
            case "instance-id" -> values.contains(instanceId);
            case "vpc-id" -> enis.stream().anyMatch(e -> values.contains(e.vpcId()));
            case "network-interface.ipv4-prefixes.ipv4-prefix" ->
                enis.stream().flatMap(e -> e.ipv4Prefixes().stream()).anyMatch(values::contains);
            default -> throw new ApiError(400, "InvalidParameterValue", "unknown filter " + name);
        };
    }

    /** DescribeTags with the {@code resource-id} and {@code key} filters (instances' tags only, here). */
    private static Response describeTags(AwsStandIn standIn, Map<String, String> params) {
        Map<String, List<String>> filters = filters(params);
        List<String> resources = filters.getOrDefault("resource-id", List.of());
        List<String> keys = filters.get("key");
        StringBuilder items = new StringBuilder();
        for (String resource : resources) {
            standIn.ec2().instanceTags(resource).forEach((k, v) -> {
                if (keys == null || keys.contains(k)) {
                    items.append("<item>")
                            .append(element("resourceId", resource))
                            .append(element("resourceType", "instance"))
                            .append(element("key", k))
                            .append(element("value", v))
                            .append("</item>");
                }
            });
        }
        return ok("DescribeTagsResponse", standIn, "<tagSet>" + items + "</tagSet>");
    }

    private static boolean matches(Ec2State.Gateway g, String name, List<String> values) {
        if (name.startsWith("tag:")) {
            return values.contains(g.tags().get(name.substring(4)));
        }
        return switch (name) {
            case "state" -> values.contains(g.state());
            case "nat-gateway-id" -> values.contains(g.id());
            case "tag-key" -> g.tags().keySet().stream().anyMatch(values::contains);
            default -> throw new ApiError(400, "InvalidParameterValue", "unknown filter " + name);
        };
    }

    private static boolean matches(FlowLog f, String name, List<String> values) {
        if (name.startsWith("tag:")) {
            return values.contains(f.tags().get(name.substring(4)));
        }
        return switch (name) {
            case "flow-log-id" -> values.contains(f.flowLogId());
            case "resource-id" -> values.contains(f.resourceId());
            case "log-group-name" -> values.contains(f.logGroupName());
            case "traffic-type" -> values.contains(f.trafficType());
            case "deliver-log-status" -> values.contains(f.deliverLogsErrorMessage() == null ? "SUCCESS" : "FAILED");
            case "log-destination-type" -> values.contains("cloud-watch-logs");
            case "tag-key" -> f.tags().keySet().stream().anyMatch(values::contains);
            default -> throw new ApiError(400, "InvalidParameterValue", "unknown filter " + name);
        };
    }

    private static String unsuccessful(List<Ec2State.Unsuccessful> failed) {
        if (failed.isEmpty()) {
            return "<unsuccessful/>";
        }
        return "<unsuccessful>"
                + failed.stream()
                        .map(u -> "<item><error>" + element("code", u.code()) + element("message", u.message())
                                + "</error>" + element("resourceId", u.resourceId()) + "</item>")
                        .collect(Collectors.joining())
                + "</unsuccessful>";
    }

    private static Response ok(String root, AwsStandIn standIn, String body) {
        return new Response(
                200,
                "text/xml;charset=UTF-8",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + root + " xmlns=\"" + NS + "\">"
                        + element("requestId", standIn.requestId()) + body + "</" + root + ">");
    }

    /**
     * One page of a Describe answer: {@code MaxResults} items (up to 1,000) from {@code NextToken}, and the
     * {@code nextToken} element when more follow.
     */
    record Page<T>(List<T> items, String next) {
        static <T> Page<T> of(List<T> all, Map<String, String> params, int minResults) {
            int max = Integer.parseInt(params.getOrDefault("MaxResults", "1000"));
            if (max < minResults || max > 1000) {
                throw new ApiError(
                        400, "InvalidParameterValue", "MaxResults must be " + minResults + " to 1000, not " + max);
            }
            int from = Integer.parseInt(params.getOrDefault("NextToken", "0"));
            List<T> items = all.subList(Math.min(from, all.size()), Math.min(from + max, all.size()));
            return new Page<>(items, from + max < all.size() ? element("nextToken", from + max) : "");
        }
    }

    /** EC2 query lists: {@code Name.1}, {@code Name.2}, ... */
    static List<String> list(Map<String, String> params, String name) {
        List<String> values = new ArrayList<>();
        for (int i = 1; params.containsKey(name + "." + i); i++) {
            values.add(params.get(name + "." + i));
        }
        return values;
    }

    /** "The maximum number of filter values specified on a single call is 200" (EC2 API reference, Filter). */
    static final int MAX_FILTER_VALUES = 200;

    private static Map<String, List<String>> filters(Map<String, String> params) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        int values = 0;
        for (int i = 1; params.containsKey("Filter." + i + ".Name"); i++) {
            List<String> these = list(params, "Filter." + i + ".Value");
            filters.put(params.get("Filter." + i + ".Name"), these);
            values += these.size();
        }
        if (values > MAX_FILTER_VALUES) {
            throw new ApiError(
                    400,
                    "FilterLimitExceeded",
                    "The request uses " + values + " filter values; at most " + MAX_FILTER_VALUES + " are allowed");
        }
        return filters;
    }
}
