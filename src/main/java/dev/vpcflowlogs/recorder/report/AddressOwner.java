package dev.vpcflowlogs.recorder.report;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Who held a private address: the network interface it was on, as DescribeNetworkInterfaces told it, with what that
 * says about its owner.
 *
 * @param primary whether the address is its interface's primary one (on an EKS node, the node's; the others are pods')
 * @param instanceName the {@code Name} tag of the instance it is attached to, if any
 * @param tags the interface's tags
 */
public record AddressOwner(
        String address,
        String interfaceId,
        @Nullable String interfaceType,
        @Nullable String description,
        @Nullable String requesterId,
        boolean primary,
        @Nullable String instanceId,
        @Nullable String instanceName,
        @Nullable String subnetId,
        @Nullable String availabilityZone,
        Map<String, String> tags) {

    public AddressOwner {
        tags = Map.copyOf(tags);
    }

    /** What kind of owner it is, read from the interface's type, description and tags. */
    public enum Kind {
        EC2_INSTANCE,
        EKS_POD,
        LAMBDA_FUNCTION,
        ECS_TASK,
        LOAD_BALANCER,
        RDS_INSTANCE,
        VPC_ENDPOINT,
        NAT_GATEWAY,
        OTHER
    }

    /** The Amazon VPC CNI's tags and description prefix on the interfaces it manages for EKS pods. */
    static final String CNI_DESCRIPTION = "aws-K8S-";

    static final String CNI_CLUSTER_TAG = "cluster.k8s.amazonaws.com/name";
    /** The VPC resource controller's branch interfaces (security groups for pods). */
    static final String BRANCH_DESCRIPTION = "aws-k8s-branch-eni";

    static final String LAMBDA_DESCRIPTION = "AWS Lambda VPC ENI-";

    public Kind kind() {
        String d = description == null ? "" : description;
        String type = interfaceType == null ? "" : interfaceType;
        if (type.equals("nat_gateway")) {
            return Kind.NAT_GATEWAY;
        }
        if (type.equals("vpc_endpoint") || type.equals("gateway_load_balancer_endpoint")) {
            return Kind.VPC_ENDPOINT;
        }
        if (type.equals("lambda") || d.startsWith(LAMBDA_DESCRIPTION)) {
            return Kind.LAMBDA_FUNCTION;
        }
        if (type.equals("branch") || d.startsWith(BRANCH_DESCRIPTION)) {
            return Kind.EKS_POD;
        }
        if ((d.startsWith(CNI_DESCRIPTION) || tags.containsKey(CNI_CLUSTER_TAG)) && !primary) {
            return Kind.EKS_POD;
        }
        if (d.startsWith("arn:aws:ecs:") || d.startsWith("arn:aws-") && d.contains(":ecs:")) {
            return Kind.ECS_TASK;
        }
        if (d.startsWith("ELB ") || type.equals("network_load_balancer")) {
            return Kind.LOAD_BALANCER;
        }
        if (d.startsWith("RDSNetworkInterface")) {
            return Kind.RDS_INSTANCE;
        }
        return instanceId != null ? Kind.EC2_INSTANCE : Kind.OTHER;
    }

    /** In a few words: "i-0abc (web-1)", "EKS pod on node i-0abc, cluster prod", "Lambda function resize". */
    public String label() {
        String cluster = tags.get(CNI_CLUSTER_TAG);
        return switch (kind()) {
            case EC2_INSTANCE -> instanceId + (instanceName == null ? "" : " (" + instanceName + ")");
            case EKS_POD ->
                "EKS pod" + (instanceId == null ? "" : " on node " + instanceId)
                        + (cluster == null ? "" : ", cluster " + cluster);
            case LAMBDA_FUNCTION -> "Lambda function " + lambdaFunction();
            case ECS_TASK ->
                "ECS task, attachment "
                        + (description == null ? interfaceId : description.substring(description.lastIndexOf('/') + 1));
            case LOAD_BALANCER -> "load balancer " + (description == null ? "" : description.substring(4));
            case RDS_INSTANCE -> "RDS instance (" + interfaceId + ")";
            case VPC_ENDPOINT -> "VPC endpoint (" + interfaceId + ")";
            case NAT_GATEWAY -> "NAT gateway (" + interfaceId + ")";
            case OTHER -> interfaceId + (description == null || description.isBlank() ? "" : " (" + description + ")");
        };
    }

    /** The function's name in "AWS Lambda VPC ENI-&lt;function&gt;-&lt;uuid&gt;". */
    private String lambdaFunction() {
        if (description == null || !description.startsWith(LAMBDA_DESCRIPTION)) {
            return "(" + interfaceId + ")";
        }
        String rest = description.substring(LAMBDA_DESCRIPTION.length());
        // The suffix is a UUID: five dash-separated groups.
        String[] parts = rest.split("-");
        return parts.length > 5 ? String.join("-", java.util.Arrays.copyOf(parts, parts.length - 5)) : rest;
    }

    /** Whether two sightings are the same owner (the same interface, with the same role for the address). */
    boolean sameAs(AddressOwner other) {
        return interfaceId.equals(other.interfaceId) && kind() == other.kind();
    }
}
