package dev.vpcflowlogs.recorder.recording;

/**
 * A flow log that exists but does not deliver: DescribeFlowLogs says {@code DeliverLogsStatus FAILED}, with
 * {@code DeliverLogsErrorMessage} ("Access error" when VPC Flow Logs cannot use the delivery role or reach the group,
 * "Rate limited", "Unknown error").
 */
public record DeliveryFailure(String flowLogId, String resourceId, String message) {

    /** What AWS says when the delivery role cannot be used: the likeliest cause of a silent recording. */
    public static final String ACCESS_ERROR = "Access error";

    public boolean accessError() {
        return message.contains(ACCESS_ERROR);
    }

    @Override
    public String toString() {
        return flowLogId + " on " + resourceId + ": " + message;
    }
}
