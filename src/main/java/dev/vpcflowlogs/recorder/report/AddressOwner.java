package dev.vpcflowlogs.recorder.report;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Who held a private address: the network interface it was on, as DescribeNetworkInterfaces told it, with what that
 * says about its owner.
 *
 * @param address the address, or the prefix ({@code 10.0.2.32/28}) when the owner holds a whole delegated prefix
 * @param primary whether the address is its interface's primary one (on an EKS node, the node's; the others are pods')
 * @param instanceName the {@code Name} tag of the instance it is attached to, if any
 * @param tags the interface's tags
 * @param prefix the IPv4 or IPv6 prefix delegated to the interface that the address is in (pods under the VPC CNI's
 *     prefix delegation and on EKS Auto Mode nodes), if it is in one
 * @param managedBy the AWS service that manages the interface ({@code operator.principal} when {@code managed}), such
 *     as {@code eks.amazonaws.com} for an EKS Auto Mode node's
 * @param cluster the EKS cluster of the instance the interface is attached to, from the instance's tags
 *     ({@code eks:cluster-name}, {@code kubernetes.io/cluster/<name>}), if it is a node of one
 * @param workload the Kubernetes pod on the address when the owners were kept, with the Kubernetes link on
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
        Map<String, String> tags,
        @Nullable String prefix,
        @Nullable String managedBy,
        @Nullable String cluster,
        @Nullable Workload workload) {

    public AddressOwner {
        tags = Map.copyOf(tags == null ? Map.of() : tags); // snapshots stored before tags were kept have none
    }

    /** An owner of a private address outside any prefix, on an interface no AWS service manages. */
    public AddressOwner(
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
        this(
                address,
                interfaceId,
                interfaceType,
                description,
                requesterId,
                primary,
                instanceId,
                instanceName,
                subnetId,
                availabilityZone,
                tags,
                null,
                null,
                null,
                null);
    }

    /** The same owner, with the pod Kubernetes names on its address. */
    public AddressOwner with(Workload pod) {
        return new AddressOwner(
                address,
                interfaceId,
                interfaceType,
                description,
                requesterId,
                primary,
                instanceId,
                instanceName,
                subnetId,
                availabilityZone,
                tags,
                prefix,
                managedBy,
                cluster,
                pod);
    }

    /** The same owner, of one address inside its prefix. */
    public AddressOwner of(String ip) {
        return new AddressOwner(
                ip,
                interfaceId,
                interfaceType,
                description,
                requesterId,
                primary,
                instanceId,
                instanceName,
                subnetId,
                availabilityZone,
                tags,
                prefix,
                managedBy,
                cluster,
                null);
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

    static final String CNI_NODE_TAG = "node.k8s.amazonaws.com/instance_id";
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
        if ((d.startsWith(CNI_DESCRIPTION) || tags.containsKey(CNI_CLUSTER_TAG) || tags.containsKey(CNI_NODE_TAG))
                && !primary) {
            return Kind.EKS_POD;
        }
        // Addresses of a prefix delegated to an instance's interface go to the pods on it (the VPC CNI's prefix mode,
        // and EKS Auto Mode's on the node's primary interface), never to the instance itself.
        if ((prefix != null || workload != null) && instanceId != null) {
            return Kind.EKS_POD;
        }
        // On a node's own interfaces the VPC CNI gives pods the secondary addresses; the primary one is the node's.
        if (instanceId != null && !primary && eksNode()) {
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

    /**
     * In a few words: "i-0abc (web-1)", "EKS pod on node i-0abc (prod-node), cluster prod, prefix 10.0.2.32/28",
     * "Lambda function resize"; an interface an AWS service manages says which.
     */
    public String label() {
        return workload == null ? awsLabel() : workload.label() + ", " + awsLabel();
    }

    /** The label without the Kubernetes names: what EC2 says of the address. */
    public String awsLabel() {
        return managedBy == null ? kindLabel() : kindLabel() + ", managed by " + managedBy;
    }

    /** Whether the interface is on a node of an EKS cluster: its instance's tags say so, or EKS manages it. */
    private boolean eksNode() {
        return cluster != null || (managedBy != null && managedBy.startsWith("eks"));
    }

    private String kindLabel() {
        String cluster = this.cluster != null ? this.cluster : tags.get(CNI_CLUSTER_TAG);
        String node = instanceId == null
                ? ""
                : " on node " + instanceId + (instanceName == null ? "" : " (" + instanceName + ")");
        return switch (kind()) {
            case EC2_INSTANCE ->
                (eksNode() ? "EKS node " : "")
                        + instanceId
                        + (instanceName == null ? "" : " (" + instanceName + ")")
                        + (cluster == null ? "" : ", cluster " + cluster);
            case EKS_POD ->
                "EKS pod" + node
                        + (cluster == null ? "" : ", cluster " + cluster)
                        + (prefix == null ? "" : ", prefix " + prefix);
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
