package dev.vpcflowlogs.recorder.config;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A VPC Flow Logs custom record format: {@code ${field}} tokens separated by single spaces.
 *
 * <p>Fields may also be written bare ({@code action flow-direction ...}), which spares YAML users from Spring's own
 * {@code ${...}} placeholder syntax.
 */
public record FlowLogFormat(List<String> fields) {

    /** The original serverless recorder's 14 fields, in its order. */
    public static final String ORIGINAL_FORMAT = "${action} ${flow-direction} ${traffic-path} ${srcaddr} ${srcport}"
            + " ${dstaddr} ${dstport} ${protocol} ${bytes} ${type} ${pkt-srcaddr} ${pkt-src-aws-service}"
            + " ${pkt-dstaddr} ${pkt-dst-aws-service}";

    /**
     * Every field AWS documents for flow log records: versions 2 to 10 from the VPC user guide's field table, and
     * version 11 (June 2026: the interface's type, the next hop, tags of the instance, interface and Auto Scaling
     * group) as AWS's announcement and the EC2 API changes of that month name them (docs/aws-behaviour.md).
     */
    static final Set<String> KNOWN_FIELDS = Set.of(
            "version",
            "account-id",
            "interface-id",
            "srcaddr",
            "dstaddr",
            "srcport",
            "dstport",
            "protocol",
            "packets",
            "bytes",
            "start",
            "end",
            "action",
            "log-status",
            "vpc-id",
            "subnet-id",
            "instance-id",
            "tcp-flags",
            "type",
            "pkt-srcaddr",
            "pkt-dstaddr",
            "region",
            "az-id",
            "sublocation-type",
            "sublocation-id",
            "pkt-src-aws-service",
            "pkt-dst-aws-service",
            "flow-direction",
            "traffic-path",
            "ecs-cluster-arn",
            "ecs-cluster-name",
            "ecs-container-instance-arn",
            "ecs-container-instance-id",
            "ecs-container-id",
            "ecs-second-container-id",
            "ecs-service-name",
            "ecs-task-definition-arn",
            "ecs-task-arn",
            "ecs-task-id",
            "reject-reason",
            "resource-id",
            "encryption-status",
            "interface-type",
            "next-hop-interface-id",
            "next-hop-subnet-id",
            "next-hop-az-id",
            "next-hop-vpc-id",
            "next-hop-interface-type",
            "instance-tag",
            "instance-tag-2",
            "interface-tag",
            "interface-tag-2",
            "asg-tag",
            "asg-tag-2");

    /**
     * The tag fields of version 11, by the resource type whose tag keys CreateFlowLogs' {@code TagFieldSpecifications}
     * names for them (SDK 2.57.8 {@code TaggableResourceType}): the first field shows the first key, the "-2" field
     * the second.
     */
    public static final java.util.Map<String, List<String>> TAG_FIELDS = java.util.Map.of(
            "instance", List.of("instance-tag", "instance-tag-2"),
            "network-interface", List.of("interface-tag", "interface-tag-2"),
            "auto-scaling-group", List.of("asg-tag", "asg-tag-2"));

    public FlowLogFormat {
        fields = List.copyOf(fields);
    }

    /**
     * Parses a format, rejecting empty formats, unknown or repeated fields and anything but single spaces between
     * tokens.
     */
    public static FlowLogFormat parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the log format is empty");
        }
        if (!text.equals(text.strip()) || text.contains("  ")) {
            throw new IllegalArgumentException("fields must be separated by single spaces, with none around them");
        }
        List<String> fields = Arrays.stream(text.split(" "))
                .map(token ->
                        token.startsWith("${") && token.endsWith("}") ? token.substring(2, token.length() - 1) : token)
                .toList();
        List<String> unknown =
                fields.stream().filter(f -> !KNOWN_FIELDS.contains(f)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown flow log field(s) " + unknown
                    + "; fields are written ${name} or name, e.g. ${pkt-srcaddr}");
        }
        if (Set.copyOf(fields).size() != fields.size()) {
            throw new IllegalArgumentException("a field appears twice in the log format");
        }
        return new FlowLogFormat(fields);
    }

    /**
     * Whether the format tells the two sides of a NAT gateway apart (each byte then counts once), which a report by
     * Logs Insights needs.
     */
    public boolean tellsNatSides() {
        return fields.containsAll(
                List.of("flow-direction", "srcaddr", "dstaddr", "pkt-srcaddr", "pkt-dstaddr", "bytes"));
    }

    public boolean has(String field) {
        return fields.contains(field);
    }

    /** The format as CreateFlowLogs takes it. */
    public String toAwsFormat() {
        return fields.stream().map(f -> "${" + f + "}").collect(Collectors.joining(" "));
    }

    /** Field names as Logs Insights can use them (hyphens become underscores). */
    public List<String> insightsNames() {
        return fields.stream().map(f -> f.replace('-', '_')).toList();
    }
}
