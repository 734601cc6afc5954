package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.Place;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * What the recorder needs from EC2, in one account and region at a time: every call names its {@link Place}, and is
 * made there with that place's credentials. Implementations throw {@link ProviderException} when a call fails; "not
 * found" on delete is success.
 */
public interface FlowLogProvider {

    /**
     * What each NAT gateway's flow logs are made on, in as few calls as the API allows: the distinct network
     * interfaces of a zonal gateway, sorted, or the gateway itself for a regional one. A gateway that does not exist,
     * or is being deleted, gets its own failure; a failure of the whole look-up is thrown.
     */
    Map<String, LookUp> targetsOf(Place place, List<String> natGatewayIds);

    /** Up to this many gateways are looked up in one call (the values of one Describe call's filters). */
    int MAX_LOOK_UPS = 200;

    /** A gateway's target, or why it has none. */
    record LookUp(@Nullable Target target, @Nullable ProviderException failure) {

        public static LookUp of(Target target) {
            return new LookUp(target, null);
        }

        public static LookUp failed(ProviderException failure) {
            return new LookUp(null, failure);
        }
    }

    /**
     * CreateFlowLogs.ResourceIds: "Maximum of 300" for resources other than transit gateways (EC2 API reference); other
     * AWS pages say 1000, and the recorder takes the stricter.
     */
    int MAX_RESOURCES_PER_CREATE = 300;

    /**
     * Creates one flow log per resource of a batch in one call, idempotent per {@link FlowLogBatch#token()}: the same
     * batch sent again answers with the flow logs of the first call. Each recording's share, by recording id; a recording
     * whose flow logs cannot be told apart yet (EC2 does not list them yet) is absent, and its start is retried.
     */
    Map<String, CreatedFlowLogs> create(Place place, FlowLogBatch batch);

    /**
     * How long a CreateFlowLogs there would wait now for the recorder's side of EC2's rate limit: while it would wait
     * anyway, more starts join its call.
     */
    default Duration untilCreateAllowed(Place place) {
        return Duration.ZERO;
    }

    /** Deletes flow logs; ids that no longer exist count as deleted. */
    void delete(Place place, List<String> flowLogIds);

    /**
     * The same, answered once the call it shares with the other stops of the moment is, without holding the caller's
     * thread meanwhile. The future fails as {@link #delete} throws.
     */
    default CompletableFuture<Void> deleteAsync(Place place, List<String> flowLogIds) {
        try {
            delete(place, flowLogIds);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The flow logs among these that exist but do not deliver ({@code DeliverLogsStatus FAILED}), with AWS's message.
     * A flow log EC2 does not list (just created, or gone) is not among them.
     */
    List<DeliveryFailure> deliveryFailures(Place place, List<String> flowLogIds);

    /** The same, answered once the calls it shares with the other stops of the moment are. */
    default CompletableFuture<List<DeliveryFailure>> deliveryFailuresAsync(Place place, List<String> flowLogIds) {
        try {
            return CompletableFuture.completedFuture(deliveryFailures(place, flowLogIds));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Every flow log there that carries the recorder's {@code managed-by} tag, in every page. */
    List<ManagedFlowLog> managedFlowLogs(Place place);

    /**
     * A flow log of the recorder's, as its tags describe it.
     *
     * @param recordingId null if the tag is missing
     * @param expiresAt null if the tag is missing or unreadable
     */
    record ManagedFlowLog(
            String flowLogId,
            String resourceId,
            @Nullable String recordingId,
            @Nullable Instant expiresAt,
            @Nullable String batch) {

        /** One made for one recording, not by a shared call. */
        public ManagedFlowLog(
                String flowLogId, String resourceId, @Nullable String recordingId, @Nullable Instant expiresAt) {
            this(flowLogId, resourceId, recordingId, expiresAt, null);
        }

        /** The same, its recording learnt from the shared call's members. */
        ManagedFlowLog ownedBy(String recordingId) {
            return new ManagedFlowLog(flowLogId, resourceId, recordingId, expiresAt, batch);
        }
    }

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

    /**
     * The flow logs of recordings that start together, asked for in one CreateFlowLogs (all of one {@link GatewayMode}:
     * the call has one resource type).
     *
     * @param token the call's ClientToken, and the {@code batch} tag of its flow logs
     */
    record FlowLogBatch(String token, List<FlowLogRequest> requests) {

        public FlowLogBatch {
            requests = List.copyOf(requests);
            if (requests.isEmpty()
                    || requests.stream().map(FlowLogRequest::mode).distinct().count() != 1) {
                throw new IllegalArgumentException("a batch holds one or more requests of one mode: " + requests);
            }
        }

        /** The ClientToken of a recording alone in its call: the same as before batches existed. */
        static String tokenOf(String recordingId) {
            return "vfr-" + recordingId;
        }

        public GatewayMode mode() {
            return requests.get(0).mode();
        }

        /** Every resource of the call, in the members' order. */
        public List<String> resourceIds() {
            return requests.stream().flatMap(r -> r.resourceIds().stream()).toList();
        }

        /** The latest deadline of its members: a flow log whose recording is unknown is deleted after it. */
        public Instant expiresAt() {
            return requests.stream()
                    .map(FlowLogRequest::expiresAt)
                    .max(Instant::compareTo)
                    .orElseThrow();
        }

        /** One recording alone: its own tags go on the call. */
        public boolean single() {
            return requests.size() == 1;
        }
    }

    /** What CreateFlowLogs made, and where it failed. */
    record CreatedFlowLogs(List<String> flowLogIds, List<ResourceFailure> failures) {}
}
