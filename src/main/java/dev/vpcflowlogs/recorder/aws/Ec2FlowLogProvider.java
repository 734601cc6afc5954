package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.DeliveryFailure;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.CreatedFlowLogs;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.FlowLogBatch;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.FlowLogRequest;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.LookUp;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.ManagedFlowLog;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.Target;
import dev.vpcflowlogs.recorder.recording.GatewayMode;
import dev.vpcflowlogs.recorder.recording.ProviderException;
import dev.vpcflowlogs.recorder.recording.ResourceFailure;
import dev.vpcflowlogs.recorder.system.Batcher;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
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

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Ec2FlowLogProvider.class);

    static final String FLOW_LOG_NOT_FOUND = "InvalidFlowLogId.NotFound";
    static final String ALREADY_EXISTS = "FlowLogAlreadyExists";
    /** The same ClientToken with other parameters (EC2 API reference, "Ensuring idempotency"). */
    static final String IDEMPOTENT_MISMATCH = "IdempotentParameterMismatch";

    static final String DELIVERY_FAILED = "FAILED";
    /** Flow log ids of one delivery check: the filter values of a call but the one of {@code deliver-log-status}. */
    static final int DELIVERY_CHECK_IDS = Ec2Filters.MAX_VALUES - 1;
    /** DeleteFlowLogs takes at most 1000 ids (EC2 API reference, DeleteFlowLogs.FlowLogIds). */
    static final int MAX_DELETE_IDS = 1000;

    private final AwsClients clients;
    private final Places places;
    private final RecorderProperties.FlowLogs settings;
    private final AwsErrors errors;
    private final FlowLogDestination destination;
    /** How long a stop waits, during a burst, for others to share its calls (recorder.recording.stop-batch-window). */
    private final Duration stopWindow;
    /** Batches are per account and region: one call never mixes them. */
    private final Map<Place, Batcher<String, ProviderException>> deletes = new ConcurrentHashMap<>();

    private final Map<Place, Batcher<String, DeliveryFailure>> deliveryChecks = new ConcurrentHashMap<>();

    /** Flow logs just made are asked for again while EC2 does not list them yet: about 10 s in all. */
    private final RetryTemplate listing = new RetryTemplate(RetryPolicy.builder()
            .includes(NotListedYet.class)
            .delay(Duration.ofMillis(100))
            .multiplier(2)
            .maxDelay(Duration.ofSeconds(2))
            .maxRetries(8)
            .build());

    Ec2FlowLogProvider(
            AwsClients clients,
            Places places,
            RecorderProperties properties,
            AwsErrors errors,
            FlowLogDestination destination) {
        this.destination = destination;
        this.stopWindow = properties.recording().stopBatchWindow();
        this.clients = clients;
        this.places = places;
        this.settings = properties.flowLogs();
        this.errors = errors;
    }

    /**
     * One DescribeNatGateways for all these gateways, by the {@code nat-gateway-id} filter: unlike NatGatewayIds, a
     * filter does not refuse the whole call when one gateway no longer exists.
     */
    @Override
    public Map<String, LookUp> targetsOf(Place place, List<String> natGatewayIds) {
        return targetsOf(
                place, natGatewayIds, AwsRequestOverrideConfiguration.builder().build());
    }

    /**
     * The same look-up, its requests marked by {@code override} (the permission preflight tags its calls). A regional
     * gateway ({@code AvailabilityMode=regional}, EC2 API reference, NatGateway) is recorded on itself: CreateFlowLogs
     * takes {@code ResourceType=RegionalNatGateway} with the gateway's id. A zonal one on each distinct interface of
     * its addresses.
     */
    Map<String, LookUp> targetsOf(Place place, List<String> natGatewayIds, AwsRequestOverrideConfiguration override) {
        Map<String, NatGateway> found;
        try {
            found = Ec2Filters.natGateways(clients.ec2(place), natGatewayIds, override);
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeNatGateways", e);
        }
        Map<String, LookUp> lookUps = new HashMap<>();
        for (String id : natGatewayIds) {
            NatGateway gateway = found.get(id);
            if (gateway == null) {
                errors.count(place, "DescribeNatGateways", "NatGatewayNotFound");
                lookUps.put(
                        id,
                        LookUp.failed(new ProviderException(
                                "DescribeNatGateways", "NatGatewayNotFound", id + " does not exist", false, null)));
                continue;
            }
            try {
                lookUps.put(id, LookUp.of(targetOf(gateway)));
            } catch (ProviderException e) {
                lookUps.put(id, LookUp.failed(e));
            }
        }
        return lookUps;
    }

    private static Target targetOf(NatGateway gateway) {
        String natGatewayId = gateway.natGatewayId();
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

    /**
     * The CreateFlowLogs call of a batch (the permission preflight sends it as a dry run). Tags go on every flow log of
     * the call: a recording alone gets its own ({@code recording-id}, {@code nat-gateway-id}); a shared call gets the
     * batch's token, and the recorder's store knows each member's resources. Every flow log carries the latest deadline
     * of the call, so one whose recording is lost is still deleted, after that deadline.
     */
    CreateFlowLogsRequest createRequest(Place place, FlowLogBatch batch) {
        List<Tag> tags = new ArrayList<>(List.of(
                tag(OwnershipTags.MANAGED_BY, OwnershipTags.MANAGED_BY_VALUE),
                tag(OwnershipTags.BATCH, batch.token()),
                // Whole seconds: a retried create must repeat every parameter to the letter.
                tag(
                        OwnershipTags.EXPIRES_AT,
                        batch.expiresAt().truncatedTo(ChronoUnit.SECONDS).toString())));
        if (batch.single()) {
            FlowLogRequest request = batch.requests().get(0);
            tags.add(tag(OwnershipTags.RECORDING_ID, request.recordingId()));
            tags.add(tag(OwnershipTags.NAT_GATEWAY_ID, request.natGatewayId()));
            tags.add(tag(OwnershipTags.NAME, "vpc-flowlogs-recorder " + request.natGatewayId()));
        } else {
            tags.add(tag(
                    OwnershipTags.NAME,
                    "vpc-flowlogs-recorder, " + batch.requests().size() + " gateways starting together"));
        }
        CreateFlowLogsRequest.Builder request = CreateFlowLogsRequest.builder();
        if (!settings.tagFields().isEmpty()) {
            // The tag keys the version 11 tag fields show.
            request.tagFieldSpecifications(settings.tagFields().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> software.amazon.awssdk.services.ec2.model.TagFieldSpecificationRequest.builder()
                            .resourceType(e.getKey())
                            .tagKeys(e.getValue())
                            .build())
                    .toList());
        }
        return request.clientToken(batch.token())
                .resourceType(
                        batch.mode() == GatewayMode.REGIONAL
                                ? FlowLogsResourceType.REGIONAL_NAT_GATEWAY
                                : FlowLogsResourceType.NETWORK_INTERFACE)
                .resourceIds(batch.resourceIds())
                .trafficType(TrafficType.ALL)
                .logDestinationType(LogDestinationType.CLOUD_WATCH_LOGS)
                .logGroupName(places.logGroup(place))
                .deliverLogsPermissionArn(places.deliveryRoleArn(place))
                .logFormat(settings.format().toAwsFormat())
                .maxAggregationInterval((int) settings.maxAggregationInterval().toSeconds())
                .tagSpecifications(TagSpecification.builder()
                        .resourceType(ResourceType.VPC_FLOW_LOG)
                        .tags(tags)
                        .build())
                .build();
    }

    @Override
    public Map<String, CreatedFlowLogs> create(Place place, FlowLogBatch batch) {
        destination.readyIn(place);
        return send(place, batch, createRequest(place, batch));
    }

    private Map<String, CreatedFlowLogs> send(Place place, FlowLogBatch batch, CreateFlowLogsRequest call) {
        CreateFlowLogsResponse response;
        try {
            response = clients.ec2(place).createFlowLogs(call);
        } catch (AwsServiceException e) {
            String code = AwsErrors.codeOf(e);
            if (ALREADY_EXISTS.equals(code)) {
                // Some endpoints refuse the whole call rather than list the interfaces in Unsuccessful.
                errors.count(place, "CreateFlowLogs", ALREADY_EXISTS);
                Map<String, CreatedFlowLogs> refused = new HashMap<>();
                for (FlowLogRequest request : batch.requests()) {
                    refused.put(
                            request.recordingId(),
                            new CreatedFlowLogs(
                                    List.of(),
                                    request.resourceIds().stream()
                                            .map(id -> new ResourceFailure(
                                                    id,
                                                    ALREADY_EXISTS,
                                                    e.awsErrorDetails().errorMessage()))
                                            .toList()));
                }
                return refused;
            }
            if (IDEMPOTENT_MISMATCH.equals(code) && batch.token().equals(call.clientToken())) {
                errors.count(place, "CreateFlowLogs", IDEMPOTENT_MISMATCH);
                return afterSettingsChanged(place, batch, call);
            }
            throw errors.translate(place, "CreateFlowLogs", e);
        } catch (SdkException e) {
            throw errors.translate(place, "CreateFlowLogs", e);
        }
        Map<String, ResourceFailure> failures = new HashMap<>();
        for (UnsuccessfulItem item : response.unsuccessful()) {
            String code = item.error() == null ? "Unknown" : item.error().code();
            String message = item.error() == null ? "" : item.error().message();
            errors.count(place, "CreateFlowLogs", code);
            failures.put(item.resourceId(), new ResourceFailure(item.resourceId(), code, message));
        }
        // One recording alone owns every flow log of its call; in a shared call, each flow log's resource says whose.
        if (batch.single()) {
            return Map.of(
                    batch.requests().get(0).recordingId(),
                    new CreatedFlowLogs(response.flowLogIds(), List.copyOf(failures.values())));
        }
        Map<String, String> onResource = new HashMap<>();
        resourcesOf(place, response.flowLogIds()).forEach((flowLog, resource) -> onResource.put(resource, flowLog));
        return shares(batch, onResource, failures);
    }

    /**
     * Each recording's share of a call's flow logs, by resource. A recording one of whose resources has neither a flow
     * log listed nor a failure is left out: its start is retried later with the same call.
     */
    private static Map<String, CreatedFlowLogs> shares(
            FlowLogBatch batch, Map<String, String> onResource, Map<String, ResourceFailure> failures) {
        Map<String, CreatedFlowLogs> shares = new HashMap<>();
        for (FlowLogRequest request : batch.requests()) {
            List<String> own = new ArrayList<>();
            List<ResourceFailure> ownFailures = new ArrayList<>();
            boolean known = true;
            for (String resource : request.resourceIds()) {
                if (failures.containsKey(resource)) {
                    ownFailures.add(failures.get(resource));
                } else if (onResource.containsKey(resource)) {
                    own.add(onResource.get(resource));
                } else {
                    known = false; // made, but not listed yet (or deleted since, its recording over)
                }
            }
            if (known) {
                shares.put(request.recordingId(), new CreatedFlowLogs(own, ownFailures));
            }
        }
        return shares;
    }

    /**
     * The batch's ClientToken was first sent with other parameters: {@code recorder.flow-logs.*} changed between a
     * start's first call and its resend (after a restart, or a call whose answer was lost). EC2 answers such a token
     * with IdempotentParameterMismatch for good. If the first call made flow logs (they carry the batch's token as a
     * tag), its recordings keep them, made with the earlier settings: nothing is made twice. If it made none, the call
     * goes again with the current settings under a token derived from them, so that a resend of that call is
     * idempotent in turn.
     */
    private Map<String, CreatedFlowLogs> afterSettingsChanged(
            Place place, FlowLogBatch batch, CreateFlowLogsRequest call) {
        Map<String, String> made = new HashMap<>();
        try {
            clients.ec2(place)
                    .describeFlowLogsPaginator(
                            r -> r.filter(Ec2Filters.filter("tag:" + OwnershipTags.BATCH, List.of(batch.token()))))
                    .flowLogs()
                    .forEach(f -> made.put(f.resourceId(), f.flowLogId()));
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeFlowLogs", e);
        }
        if (made.isEmpty()) {
            String token = batch.token() + "-" + digest(call);
            log.warn(
                    "CreateFlowLogs {} in {} was first sent with other flow log settings and made nothing; sending it"
                            + " with the current settings as {}.",
                    batch.token(),
                    place,
                    token);
            return send(place, batch, call.toBuilder().clientToken(token).build());
        }
        log.warn(
                "CreateFlowLogs {} in {} was first sent with other flow log settings (recorder.flow-logs changed"
                        + " since); its recordings keep the {} flow log(s) that call made.",
                batch.token(),
                place,
                made.size());
        if (batch.single()) {
            return Map.of(
                    batch.requests().get(0).recordingId(), new CreatedFlowLogs(List.copyOf(made.values()), List.of()));
        }
        return shares(batch, made, Map.of());
    }

    /** Twelve hex digits of a SHA-256 of the call's parameters, its ClientToken left out. */
    static String digest(CreateFlowLogsRequest call) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(call.toBuilder()
                            .clientToken(null)
                            .build()
                            .toString()
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The resource of each flow log just made, as far as DescribeFlowLogs lists them. CreateFlowLogs answers the ids
     * without saying which is on which resource (its API reference promises no order), so DescribeFlowLogs is asked;
     * EC2 is eventually consistent, and one not listed yet is asked for again, for a few seconds. A flow log still not
     * listed then is left out: its recording is absent from the answer, and its start is retried later with the same
     * ClientToken, which answers the same ids. (A flow log of the call deleted since, its recording over, is never
     * listed again; the other recordings of the call do not wait for it.)
     */
    private Map<String, String> resourcesOf(Place place, List<String> flowLogIds) {
        Map<String, String> resourceOf = new ConcurrentHashMap<>();
        try {
            listing.invoke(() -> {
                List<String> missing = flowLogIds.stream()
                        .filter(id -> !resourceOf.containsKey(id))
                        .toList();
                for (List<String> chunk : Ec2Filters.chunks(missing, 0)) {
                    try {
                        clients.ec2(place)
                                .describeFlowLogsPaginator(r -> r.filter(Ec2Filters.filter("flow-log-id", chunk)))
                                .flowLogs()
                                .forEach(f -> resourceOf.put(f.flowLogId(), f.resourceId()));
                    } catch (SdkException e) {
                        throw errors.translate(place, "DescribeFlowLogs", e);
                    }
                }
                if (resourceOf.size() < flowLogIds.size()) {
                    throw new NotListedYet(flowLogIds.size() - resourceOf.size());
                }
                return resourceOf;
            });
        } catch (RuntimeException e) {
            if (!(e instanceof NotListedYet) && !(e.getCause() instanceof NotListedYet)) {
                throw e;
            }
            errors.count(place, "DescribeFlowLogs", "NotListedYet");
        }
        return Map.copyOf(resourceOf);
    }

    /** Flow logs CreateFlowLogs made that DescribeFlowLogs does not list yet. */
    static final class NotListedYet extends ProviderException {
        NotListedYet(int count) {
            super(
                    "DescribeFlowLogs",
                    "NotListedYet",
                    count + " flow log(s) just made are not listed yet (EC2 is eventually consistent)",
                    true,
                    null);
        }
    }

    @Override
    public Duration untilCreateAllowed(Place place) {
        return Ec2RateLimiter.of(clients.ec2(place))
                .map(limiter -> limiter.untilAvailable("CreateFlowLogs"))
                .orElse(Duration.ZERO);
    }

    /** Deletes share DeleteFlowLogs calls with those of other recordings stopping at the same time. */
    @Override
    public void delete(Place place, List<String> flowLogIds) {
        Map<String, ProviderException> failures = deletesIn(place).submit(flowLogIds);
        if (!failures.isEmpty()) {
            throw failures.values().iterator().next();
        }
    }

    /** The same without holding the caller's thread: a burst of stops waits in one queue, not in a thread each. */
    @Override
    public CompletableFuture<Void> deleteAsync(Place place, List<String> flowLogIds) {
        return deletesIn(place).submitAsync(flowLogIds).thenApply(failures -> {
            if (!failures.isEmpty()) {
                throw failures.values().iterator().next();
            }
            return null;
        });
    }

    private Batcher<String, ProviderException> deletesIn(Place place) {
        return deletes.computeIfAbsent(
                place,
                p -> new Batcher<String, ProviderException>(
                        "delete-flow-logs", stopWindow, MAX_DELETE_IDS, ids -> deleteCall(p, ids)));
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

    /**
     * Checks share DescribeFlowLogs calls with those of other recordings stopping at the same time; a recording with
     * more flow logs than one call takes asks in parts.
     */
    @Override
    public List<DeliveryFailure> deliveryFailures(Place place, List<String> flowLogIds) {
        Batcher<String, DeliveryFailure> checks = checksIn(place);
        List<DeliveryFailure> failures = new ArrayList<>();
        for (List<String> part : Ec2Filters.chunks(flowLogIds, 1)) {
            failures.addAll(checks.submit(part).values());
        }
        return List.copyOf(failures);
    }

    @Override
    public CompletableFuture<List<DeliveryFailure>> deliveryFailuresAsync(Place place, List<String> flowLogIds) {
        Batcher<String, DeliveryFailure> checks = checksIn(place);
        List<CompletableFuture<Map<String, DeliveryFailure>>> parts = Ec2Filters.chunks(flowLogIds, 1).stream()
                .map(checks::submitAsync)
                .toList();
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(done ->
                        parts.stream().flatMap(p -> p.join().values().stream()).toList());
    }

    private Batcher<String, DeliveryFailure> checksIn(Place place) {
        return deliveryChecks.computeIfAbsent(
                place,
                p -> new Batcher<String, DeliveryFailure>(
                        "describe-flow-log-delivery", stopWindow, DELIVERY_CHECK_IDS, ids -> deliveryCall(p, ids)));
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
                            Ec2Filters.filter("flow-log-id", flowLogIds),
                            Ec2Filters.filter("deliver-log-status", List.of(DELIVERY_FAILED))))
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
                                instant(tags.get(OwnershipTags.EXPIRES_AT)),
                                tags.get(OwnershipTags.BATCH)));
                    });
        } catch (SdkException e) {
            throw errors.translate(place, "DescribeFlowLogs", e);
        }
        return found;
    }

    private static @Nullable Instant instant(@Nullable String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
