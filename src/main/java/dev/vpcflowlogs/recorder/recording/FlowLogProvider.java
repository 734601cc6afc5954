package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the recorder needs from EC2, in one account and region at a time: every call names its {@link Place}, and is
 * made there with that place's credentials. Implementations throw {@link ProviderException} when a call fails; "not
 * found" on delete is success.
 */
public interface FlowLogProvider {

    /**
     * What a NAT gateway's flow logs are made on: the distinct network interfaces of a zonal gateway, sorted, or the
     * gateway itself for a regional one.
     */
    Target targetOf(Place place, String natGatewayId);

    /** Creates one flow log per resource in one call, idempotent per recording. */
    CreatedFlowLogs create(Place place, FlowLogRequest request);

    /** Deletes flow logs; ids that no longer exist count as deleted. */
    void delete(Place place, List<String> flowLogIds);

    /**
     * The flow logs among these that exist but do not deliver ({@code DeliverLogsStatus FAILED}), with AWS's message.
     * A flow log EC2 does not list (just created, or gone) is not among them.
     */
    List<DeliveryFailure> deliveryFailures(Place place, List<String> flowLogIds);

    /** Every flow log there that carries the recorder's {@code managed-by} tag, in every page. */
    List<ManagedFlowLog> managedFlowLogs(Place place);

    /**
     * A flow log of the recorder's, as its tags describe it.
     *
     * @param recordingId null if the tag is missing
     * @param expiresAt null if the tag is missing or unreadable
     */
    record ManagedFlowLog(
            String flowLogId, String resourceId, @Nullable String recordingId, @Nullable Instant expiresAt) {}

    /** How a gateway is deployed, and the resources its flow logs are made on. */
    record Target(GatewayMode mode, List<String> resourceIds) {

        public Target {
            resourceIds = List.copyOf(resourceIds);
        }
    }

    /** A request for the flow logs of one recording: on a zonal gateway's interfaces, or on a regional gateway. */
    record FlowLogRequest(
            String recordingId, String natGatewayId, GatewayMode mode, List<String> resourceIds, Instant expiresAt) {

        public FlowLogRequest {
            resourceIds = List.copyOf(resourceIds);
        }
    }

    /** What CreateFlowLogs made, and where it failed. */
    record CreatedFlowLogs(List<String> flowLogIds, List<ResourceFailure> failures) {}
}
