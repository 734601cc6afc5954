package dev.vpcflowlogs.recorder.system;

/**
 * The tags that mark what the recorder made in AWS (flow logs, alarms, the log group). Whatever lacks
 * {@code managed-by=vpc-flowlogs-recorder} is never changed or deleted. Defined here once; the deployment templates'
 * IAM conditions name the same key and value.
 */
public final class OwnershipTags {

    public static final String MANAGED_BY = "managed-by";
    public static final String MANAGED_BY_VALUE = "vpc-flowlogs-recorder";
    /** On a flow log: the recording it belongs to. */
    public static final String RECORDING_ID = "recording-id";
    /** On a flow log and an alarm: the NAT gateway it is about. */
    public static final String NAT_GATEWAY_ID = "nat-gateway-id";
    /** On a flow log: its recording's hard deadline, an ISO instant in whole seconds. */
    public static final String EXPIRES_AT = "expires-at";
    /**
     * The ClientToken of the CreateFlowLogs call that made it; when recordings shared the call, the recorder's store
     * says which recording each of its flow logs belongs to.
     */
    public static final String BATCH = "batch";

    public static final String NAME = "Name";

    private OwnershipTags() {}

    /** Whether tags with these values mark something the recorder made. */
    public static boolean ownedByRecorder(java.util.Map<String, String> tags) {
        return MANAGED_BY_VALUE.equals(tags.get(MANAGED_BY));
    }
}
