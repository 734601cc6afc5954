package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.DeliveryFailure;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider;
import dev.vpcflowlogs.recorder.recording.GatewayMode;
import dev.vpcflowlogs.recorder.recording.ProviderException;
import dev.vpcflowlogs.recorder.recording.ResourceFailure;
import dev.vpcflowlogs.recorder.system.OwnershipTags;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.AvailabilityMode;
import software.amazon.awssdk.services.ec2.model.CreateFlowLogsRequest;
import software.amazon.awssdk.services.ec2.model.CreateFlowLogsResponse;
import software.amazon.awssdk.services.ec2.model.DeleteFlowLogsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.FlowLogsResourceType;
import software.amazon.awssdk.services.ec2.model.LogDestinationType;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayAddress;
import software.amazon.awssdk.services.ec2.model.NatGatewayState;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.TrafficType;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;

/** Flow logs on a NAT gateway (its network interfaces, or the regional gateway itself), through EC2. */
@Component
class Ec2FlowLogProvider implements FlowLogProvider {

    static final String FLOW_LOG_NOT_FOUND = "InvalidFlowLogId.NotFound";
    static final String ALREADY_EXISTS = "FlowLogAlreadyExists";
    static final String DELIVERY_FAILED = "FAILED";
    /** How long a call waits for others to join it. */
    static final Duration BATCH_WINDOW = Duration.ofMillis(50);
    /** DeleteFlowLogs takes at most 1000 ids (EC2 API reference, DeleteFlowLogs.FlowLogIds). */
    static final int MAX_DELETE_IDS = 1000;
    /** Values of one filter a Describe call is sent with; EC2 documents no limit, so a modest one. */
    static final int MAX_FILTER_VALUES = 200;

    private final AwsClients clients;
    private final Places places;
    private final RecorderProperties.FlowLogs settings;
    private final AwsErrors errors;
    /** Batches are per account and region: one call never mixes them. */
    private final Map<Place, Batcher<ProviderException>> deletes = new ConcurrentHashMap<>();

    private final Map<Place, Batcher<DeliveryFailure>> deliveryChecks = new ConcurrentHashMap<>();

    Ec2FlowLogProvider(AwsClients clients, Places places, RecorderProperties properties, AwsErrors errors) {
        this.clients = clients;
        this.places = places;
        this.settings = properties.flowLogs();
        this.errors = errors;
    }

    @Override
    public Target targetOf(Place place, String natGatewayId) {
        return targetOf(
                place, natGatewayId, AwsRequestOverrideConfiguration.builder().build());
    }

    /**
     * The same look-up, its request marked by {@code override} (the permission preflight tags its calls). A regional
     * gateway ({@code AvailabilityMode=regional}, EC2 API reference, NatGateway) is recorded on itself: CreateFlowLogs
     * takes {@code ResourceType=RegionalNatGateway} with the gateway's id. A zonal one on each distinct interface of
     * its addresses.
     */
    Target targetOf(Place place, String natGatewayId, AwsRequestOverrideConfiguration override) {
        List<NatGateway> gateways;
        try {
            gateways = clients.ec2(place)
                    .describeNatGateways(r -> r.natGatewayIds(natGatewayId).overrideConfiguration(override))
                    .natGateways();
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeNatGateways", e);
        }
        if (gateways.isEmpty()) {
            errors.count(place, "DescribeNatGateways", "NatGatewayNotFound");
            throw new ProviderException(
                    "DescribeNatGateways", "NatGatewayNotFound", natGatewayId + " does not exist", false, null);
        }
        NatGateway gateway = gateways.get(0);
        if (gateway.state() == NatGatewayState.DELETING
                || gateway.state() == NatGatewayState.DELETED
                || gateway.state() == NatGatewayState.FAILED) {
            throw new ProviderException(
                    "DescribeNatGateways",
                    "NatGatewayNotAvailable",
                    natGatewayId + " is " + gateway.stateAsString(),
                    false,
                    null);
        }
        if (gateway.availabilityMode() == AvailabilityMode.REGIONAL) {
            return new Target(GatewayMode.REGIONAL, List.of(gateway.natGatewayId()));
        }
        Set<String> interfaces = new TreeSet<>();
        for (NatGatewayAddress address : gateway.natGatewayAddresses()) {
            if (address.networkInterfaceId() != null) {
                interfaces.add(address.networkInterfaceId());
            }
        }
        return new Target(GatewayMode.ZONAL, List.copyOf(interfaces));
    }

    /** The CreateFlowLogs call of a recording (the permission preflight sends it as a dry run). */
    CreateFlowLogsRequest createRequest(Place place, FlowLogRequest request) {
        return CreateFlowLogsRequest.builder()
                .clientToken(clientToken(request.recordingId()))
                .resourceType(
                        request.mode() == GatewayMode.REGIONAL
                                ? FlowLogsResourceType.REGIONAL_NAT_GATEWAY
                                : FlowLogsResourceType.NETWORK_INTERFACE)
                .resourceIds(request.resourceIds())
                .trafficType(TrafficType.ALL)
                .logDestinationType(LogDestinationType.CLOUD_WATCH_LOGS)
                .logGroupName(places.logGroup(place))
                .deliverLogsPermissionArn(places.deliveryRoleArn(place))
                .logFormat(settings.format().toAwsFormat())
                .maxAggregationInterval((int) settings.maxAggregationInterval().toSeconds())
                .tagSpecifications(TagSpecification.builder()
                        .resourceType(ResourceType.VPC_FLOW_LOG)
                        .tags(
                                tag(OwnershipTags.MANAGED_BY, OwnershipTags.MANAGED_BY_VALUE),
                                tag(OwnershipTags.RECORDING_ID, request.recordingId()),
                                tag(OwnershipTags.NAT_GATEWAY_ID, request.natGatewayId()),
                                // Whole seconds: a retried create must repeat every parameter to the letter.
                                tag(
                                        OwnershipTags.EXPIRES_AT,
                                        request.expiresAt()
                                                .truncatedTo(ChronoUnit.SECONDS)
                                                .toString()),
                                tag(OwnershipTags.NAME, "vpc-flowlogs-recorder " + request.natGatewayId()))
                        .build())
                .build();
    }

    @Override
    public CreatedFlowLogs create(Place place, FlowLogRequest request) {
        CreateFlowLogsRequest call = createRequest(place, request);
        CreateFlowLogsResponse response;
        try {
            response = clients.ec2(place).createFlowLogs(call);
        } catch (AwsServiceException e) {
            if (e.awsErrorDetails() != null
                    && ALREADY_EXISTS.equals(e.awsErrorDetails().errorCode())) {
                // Some endpoints refuse the whole call rather than list the interfaces in Unsuccessful.
                errors.count(place, "CreateFlowLogs", ALREADY_EXISTS);
                List<ResourceFailure> failures = request.resourceIds().stream()
                        .map(id -> new ResourceFailure(
                                id, ALREADY_EXISTS, e.awsErrorDetails().errorMessage()))
                        .toList();
                return new CreatedFlowLogs(List.of(), failures);
            }
            throw errors.translate(place, "CreateFlowLogs", e);
        } catch (SdkException e) {
            throw errors.translate(place, "CreateFlowLogs", e);
        }
        List<ResourceFailure> failures = new ArrayList<>();
        for (UnsuccessfulItem item : response.unsuccessful()) {
            String code = item.error() == null ? "Unknown" : item.error().code();
            String message = item.error() == null ? "" : item.error().message();
            errors.count(place, "CreateFlowLogs", code);
            failures.add(new ResourceFailure(item.resourceId(), code, message));
        }
        return new CreatedFlowLogs(response.flowLogIds(), failures);
    }

    /** Deletes share DeleteFlowLogs calls with those of other recordings stopping at the same time. */
    @Override
    public void delete(Place place, List<String> flowLogIds) {
        Map<String, ProviderException> failures = deletes.computeIfAbsent(
                        place,
                        p -> new Batcher<>("delete-flow-logs", BATCH_WINDOW, MAX_DELETE_IDS, ids -> deleteCall(p, ids)))
                .submit(flowLogIds);
        if (!failures.isEmpty()) {
            throw failures.values().iterator().next();
        }
    }

    /**
     * One DeleteFlowLogs: the errors that remain per id ("not found" means already gone). An endpoint that refuses
     * the whole call because one id is gone gets each id on its own: the others may still exist.
     */
    private Map<String, ProviderException> deleteCall(Place place, List<String> flowLogIds) {
        DeleteFlowLogsResponse response;
        try {
            response = clients.ec2(place).deleteFlowLogs(r -> r.flowLogIds(flowLogIds));
        } catch (AwsServiceException e) {
            if (e.awsErrorDetails() != null
                    && FLOW_LOG_NOT_FOUND.equals(e.awsErrorDetails().errorCode())) {
                return flowLogIds.size() == 1 ? Map.of() : deleteEach(place, flowLogIds);
            }
            throw errors.translate(place, "DeleteFlowLogs", e);
        } catch (SdkException e) {
            throw errors.translate(place, "DeleteFlowLogs", e);
        }
        Map<String, ProviderException> failures = new HashMap<>();
        for (UnsuccessfulItem item : response.unsuccessful()) {
            String code = item.error() == null ? "Unknown" : item.error().code();
            if (FLOW_LOG_NOT_FOUND.equals(code)) {
                continue;
            }
            errors.count(place, "DeleteFlowLogs", code);
            String message = item.error() == null
                    ? "unknown error"
                    : Objects.toString(item.error().message());
            failures.put(
                    item.resourceId(),
                    new ProviderException("DeleteFlowLogs", code, item.resourceId() + ": " + message, true, null));
        }
        return failures;
    }

    private Map<String, ProviderException> deleteEach(Place place, List<String> flowLogIds) {
        Map<String, ProviderException> failures = new HashMap<>();
        for (String id : flowLogIds) {
            try {
                failures.putAll(deleteCall(place, List.of(id)));
            } catch (ProviderException e) {
                failures.put(id, e);
            }
        }
        return failures;
    }

    /** Checks share DescribeFlowLogs calls with those of other recordings stopping at the same time. */
    @Override
    public List<DeliveryFailure> deliveryFailures(Place place, List<String> flowLogIds) {
        return List.copyOf(deliveryChecks
                .computeIfAbsent(
                        place,
                        p -> new Batcher<>(
                                "describe-flow-log-delivery",
                                BATCH_WINDOW,
                                MAX_FILTER_VALUES,
                                ids -> deliveryCall(p, ids)))
                .submit(flowLogIds)
                .values());
    }

    /**
     * The failed deliveries among these flow logs, by a filter on their ids (a filter, unlike FlowLogIds, does not
     * refuse an id EC2 no longer knows, or does not list yet).
     */
    private Map<String, DeliveryFailure> deliveryCall(Place place, List<String> flowLogIds) {
        Map<String, DeliveryFailure> failed = new HashMap<>();
        try {
            clients.ec2(place)
                    .describeFlowLogsPaginator(r -> r.filter(
                            Filter.builder()
                                    .name("flow-log-id")
                                    .values(flowLogIds)
                                    .build(),
                            Filter.builder()
                                    .name("deliver-log-status")
                                    .values(DELIVERY_FAILED)
                                    .build()))
                    .flowLogs()
                    .forEach(f -> failed.put(
                            f.flowLogId(),
                            new DeliveryFailure(
                                    f.flowLogId(),
                                    f.resourceId(),
                                    Objects.requireNonNullElse(f.deliverLogsErrorMessage(), "no message"))));
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeFlowLogs", e);
        }
        return failed;
    }

    @PreDestroy
    void stopBatching() {
        deletes.values().forEach(Batcher::close);
        deliveryChecks.values().forEach(Batcher::close);
    }

    @Override
    public List<ManagedFlowLog> managedFlowLogs(Place place) {
        List<ManagedFlowLog> found = new ArrayList<>();
        try {
            clients.ec2(place)
                    .describeFlowLogsPaginator(r -> r.filter(Filter.builder()
                            .name("tag:" + OwnershipTags.MANAGED_BY)
                            .values(OwnershipTags.MANAGED_BY_VALUE)
                            .build()))
                    .flowLogs()
                    .forEach(f -> {
                        Map<String, String> tags = new HashMap<>();
                        f.tags().forEach(t -> tags.put(t.key(), t.value()));
                        if (!OwnershipTags.ownedByRecorder(tags)) {
                            return; // the filter is the API's; ownership is checked here again
                        }
                        found.add(new ManagedFlowLog(
                                f.flowLogId(),
                                f.resourceId(),
                                tags.get(OwnershipTags.RECORDING_ID),
                                instant(tags.get(OwnershipTags.EXPIRES_AT))));
                    });
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeFlowLogs", e);
        }
        return found;
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** Idempotency: a retried start of the same recording returns the flow logs of the first. */
    static String clientToken(String recordingId) {
        return "vfr-" + recordingId;
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
