package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.recording.DeliveryFailure;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.FlowLogBatch;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.FlowLogRequest;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.LookUp;
import dev.vpcflowlogs.recorder.recording.FlowLogProvider.Target;
import dev.vpcflowlogs.recorder.recording.GatewayMode;
import dev.vpcflowlogs.recorder.recording.ProviderException;
import dev.vpcflowlogs.recorder.system.OwnershipTags;
import dev.vpcflowlogs.recorder.watch.WatchRefreshed;
import dev.vpcflowlogs.recorder.watch.WatchedGateways;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ApiName;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * Checks, at start-up and on demand ({@code POST /actuator/preflight}), that the recorder may do what a spike will
 * need: CreateFlowLogs as a dry run on a watched gateway's interface (with the delivery role, the log group and the
 * recorder's tags), the EC2 reads as dry runs, and the CloudWatch Logs and CloudWatch reads for real. The
 * {@code permissions} health component is DOWN while a permission is missing and names it in words.
 */
@Component("permissionsHealthIndicator")
class PermissionPreflight implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(PermissionPreflight.class);
    /** Error codes with which AWS refuses a call for want of a permission. */
    private static final Set<String> DENIED = Set.of(
            "UnauthorizedOperation",
            "AccessDenied",
            "AccessDeniedException",
            "AuthorizationError",
            "UnauthorizedAccess");
    /** Added to the User-Agent of every preflight call, so CloudTrail (and the stand-in) can tell them apart. */
    static final AwsRequestOverrideConfiguration TAGGED = AwsRequestOverrideConfiguration.builder()
            .addApiName(ApiName.builder()
                    .name("vpc-flowlogs-recorder-preflight")
                    .version("1")
                    .build())
            .build();
    /** What EC2 answers a dry run that would have succeeded. */
    static final String DRY_RUN_OK = "DryRunOperation";
    /** Gateways looked up at most to find one of each kind to try CreateFlowLogs on. */
    static final int MAX_LOOK_UPS = 20;

    enum Outcome {
        ALLOWED,
        MISSING,
        UNCHECKED
    }

    /** One permission's answer, in words. */
    record Check(String permission, Outcome outcome, String detail) {}

    /** One run: when, and every check. */
    record Result(Instant at, List<Check> checks) {
        List<Check> with(Outcome outcome) {
            return checks.stream().filter(c -> c.outcome() == outcome).toList();
        }
    }

    private final AwsClients clients;
    private final Places places;
    private final Ec2FlowLogProvider flowLogs;
    private final WatchedGateways watched;
    private final RecorderProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;
    private volatile @Nullable Result last;
    private final TaskScheduler scheduler;
    /** A run is scheduled and has not begun: a refresh meanwhile schedules no other. */
    private final AtomicBoolean pending = new AtomicBoolean();

    PermissionPreflight(
            AwsClients clients,
            Places places,
            Ec2FlowLogProvider flowLogs,
            WatchedGateways watched,
            RecorderProperties properties,
            Clock clock,
            MeterRegistry meters,
            TaskScheduler scheduler) {
        this.scheduler = scheduler;
        this.clients = clients;
        this.places = places;
        this.flowLogs = flowLogs;
        this.watched = watched;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * After the first look-up of the watched gateways ({@code recorder.preflight.start-delay} later, so that the spikes
     * queued while the recorder was down do not share the CPU with it), and again after each one until every check had
     * an answer. On the scheduler, not on the thread that refreshed the watched gateways.
     */
    @EventListener
    void onRefresh(WatchRefreshed refreshed) {
        Result result = last;
        if ((result == null || !result.with(Outcome.UNCHECKED).isEmpty()) && pending.compareAndSet(false, true)) {
            Duration delay = refreshed.first() ? properties.preflight().startDelay() : Duration.ZERO;
            scheduler.schedule(
                    () -> {
                        pending.set(false);
                        run();
                    },
                    clock.instant().plus(delay));
        }
    }

    @Nullable
    Result lastResult() {
        return last;
    }

    /**
     * Checks every account and region. With one place the checks are named by permission alone; with several, each
     * is named by its account and region too ({@code 222222222222/eu-west-1 ec2:CreateFlowLogs}).
     */
    synchronized Result run() {
        List<Check> checks = new ArrayList<>();
        for (Place place : places.all()) {
            String prefix = places.all().size() == 1 ? "" : place.label() + " ";
            for (Check c : checksIn(place)) {
                checks.add(new Check(prefix + c.permission(), c.outcome(), c.detail()));
            }
        }
        return finish(checks);
    }

    private List<Check> checksIn(Place place) {
        Ec2Client ec2 = clients.ec2(place);
        CloudWatchLogsClient logs = clients.logs(place);
        CloudWatchClient cloudWatch = clients.cloudWatch(place);
        List<Check> checks = new ArrayList<>();
        checks.add(check("ec2:DescribeNatGateways", "look up a gateway's network interfaces", () -> {
            ec2.describeNatGateways(r -> r.dryRun(true).overrideConfiguration(TAGGED));
            return null;
        }));
        checks.add(check("ec2:DescribeNetworkInterfaces", "name who held each address in the report", () -> {
            ec2.describeNetworkInterfaces(r -> r.dryRun(true).overrideConfiguration(TAGGED));
            return null;
        }));
        checks.add(check(
                "ec2:DescribeInstances",
                "name the instances and find the prefixes behind the report's addresses",
                () -> {
                    ec2.describeInstances(r -> r.dryRun(true).overrideConfiguration(TAGGED));
                    return null;
                }));
        checks.add(check("ec2:DescribeFlowLogs", "find the flow logs it made (the reconciler)", () -> {
            ec2.describeFlowLogs(r -> r.dryRun(true).overrideConfiguration(TAGGED));
            return null;
        }));
        checks.add(createFlowLogs(place));
        checks.add(deliveryRole(place, ec2));
        // A group of the Infrequent Access class is read by Logs Insights only (docs/aws-behaviour.md).
        if (properties.flowLogs().logGroupClass() != RecorderProperties.FlowLogs.LogGroupClass.INFREQUENT_ACCESS) {
            checks.add(check("logs:FilterLogEvents", "read the recorded flow logs for the spike report", () -> {
                logs.filterLogEvents(r -> r.logGroupName(places.logGroup(place))
                        .startTime(clock.millis() - 60_000)
                        .endTime(clock.millis())
                        .limit(1)
                        .overrideConfiguration(TAGGED));
                return null;
            }));
        }
        checks.add(check("cloudwatch:GetMetricData", "read a gateway's last 30 days for the report's advice", () -> {
            cloudWatch.getMetricData(r -> r.startTime(clock.instant().minusSeconds(3600))
                    .endTime(clock.instant())
                    .metricDataQueries(q -> q.id("preflight")
                            .metricStat(m -> m.metric(x -> x.namespace(CloudWatchAlarmProvider.NAMESPACE)
                                            .metricName("BytesInFromSource"))
                                    .period(3600)
                                    .stat("Sum")))
                    .overrideConfiguration(TAGGED));
            return null;
        }));
        if (properties.alarms().managed()) {
            checks.add(check("cloudwatch:DescribeAlarms", "find the alarms it manages", () -> {
                cloudWatch.describeAlarms(
                        r -> r.alarmNamePrefix(properties.alarms().namePrefix())
                                .maxRecords(1)
                                .overrideConfiguration(TAGGED));
                return null;
            }));
        }
        return checks;
    }

    private Result finish(List<Check> checks) {
        Result result = new Result(clock.instant(), List.copyOf(checks));
        last = result;
        for (Check c : checks) {
            meters.counter("recorder.preflight.checks", "permission", c.permission(), "outcome", name(c.outcome()))
                    .increment();
            switch (c.outcome()) {
                case MISSING -> log.error("Permission preflight: {} is missing: {}.", c.permission(), c.detail());
                case UNCHECKED ->
                    log.warn("Permission preflight: {} could not be checked: {}.", c.permission(), c.detail());
                case ALLOWED -> log.debug("Permission preflight: {} is allowed.", c.permission());
            }
        }
        if (result.with(Outcome.MISSING).isEmpty()
                && result.with(Outcome.UNCHECKED).isEmpty()) {
            log.info("Permission preflight: all {} permissions checked are allowed.", checks.size());
        }
        return result;
    }

    /**
     * Whether VPC Flow Logs can write with the delivery role: no dry run can tell, but a flow log that cannot
     * answers DescribeFlowLogs with {@code DeliverLogsStatus FAILED} and "Access error". The recorder's own flow
     * logs are asked.
     */
    private Check deliveryRole(Place place, Ec2Client ec2) {
        String permission = "delivery role";
        String role = places.deliveryRoleArn(place);
        try {
            List<DeliveryFailure> failed = new ArrayList<>();
            ec2.describeFlowLogsPaginator(r -> r.filter(
                                    Filter.builder()
                                            .name("tag:" + OwnershipTags.MANAGED_BY)
                                            .values(OwnershipTags.MANAGED_BY_VALUE)
                                            .build(),
                                    Filter.builder()
                                            .name("deliver-log-status")
                                            .values(Ec2FlowLogProvider.DELIVERY_FAILED)
                                            .build())
                            .overrideConfiguration(TAGGED))
                    .flowLogs()
                    .forEach(f -> failed.add(new DeliveryFailure(
                            f.flowLogId(),
                            f.resourceId(),
                            java.util.Objects.requireNonNullElse(f.deliverLogsErrorMessage(), "no message"))));
            List<DeliveryFailure> access =
                    failed.stream().filter(DeliveryFailure::accessError).toList();
            if (!access.isEmpty()) {
                return new Check(
                        permission,
                        Outcome.MISSING,
                        "VPC Flow Logs cannot write with the delivery role " + role + ": " + access
                                + ". Its trust policy must let vpc-flow-logs.amazonaws.com assume it, and it needs"
                                + " logs:CreateLogStream, logs:PutLogEvents, logs:DescribeLogGroups and"
                                + " logs:DescribeLogStreams on the log group "
                                + places.logGroup(place));
            }
            if (!failed.isEmpty()) {
                return new Check(
                        permission,
                        Outcome.UNCHECKED,
                        "flow logs of the recorder's report failed deliveries: " + failed);
            }
            return new Check(
                    permission,
                    Outcome.ALLOWED,
                    "no flow log of the recorder's reports a failed delivery with the role " + role);
        } catch (SdkException e) {
            return check(permission, "read the delivery status of its flow logs", () -> {
                throw e;
            });
        }
    }

    /**
     * The dry run of the very call a recording makes: on an interface of the first zonal gateway watched, and on the
     * first regional gateway watched ({@code ResourceType=RegionalNatGateway}), whichever kinds are watched. The first
     * {@link #MAX_LOOK_UPS} gateways are looked up, in one call, to find them.
     */
    private Check createFlowLogs(Place place) {
        String permission = "ec2:CreateFlowLogs";
        String purpose =
                "create flow logs when a spike starts (with ec2:CreateTags and iam:PassRole on the delivery role)";
        if (watched.idsIn(place).isEmpty()) {
            return new Check(permission, Outcome.UNCHECKED, "no gateway is watched yet to try it on");
        }
        Map<GatewayMode, FlowLogRequest> tries = new EnumMap<>(GatewayMode.class);
        List<String> unknown = new ArrayList<>();
        // One DescribeNatGateways for them all (by the nat-gateway-id filter), not one a gateway: this runs at every
        // start, beside the first spikes.
        List<String> candidates =
                watched.idsIn(place).stream().limit(MAX_LOOK_UPS).toList();
        Map<String, LookUp> found;
        try {
            found = flowLogs.targetsOf(place, candidates, TAGGED);
        } catch (ProviderException e) {
            return new Check(
                    permission,
                    DENIED.contains(e.code()) ? Outcome.MISSING : Outcome.UNCHECKED,
                    "the watched gateways could not be looked up to try it (" + e.getMessage() + ")");
        }
        for (String gateway : candidates) {
            LookUp lookUp = found.get(gateway);
            Target target = lookUp == null ? null : lookUp.target();
            if (target == null) {
                ProviderException failure = lookUp == null ? null : lookUp.failure();
                unknown.add(gateway + " (" + (failure == null ? "not looked up" : failure.getMessage()) + ")");
                continue;
            }
            if (!target.resourceIds().isEmpty()) {
                tries.putIfAbsent(
                        target.mode(),
                        new FlowLogRequest(
                                "preflight",
                                gateway,
                                target.mode(),
                                List.of(target.resourceIds().get(0)),
                                clock.instant().plus(Duration.ofHours(1))));
            }
        }
        if (tries.isEmpty()) {
            return new Check(
                    permission,
                    Outcome.UNCHECKED,
                    unknown.isEmpty()
                            ? "no watched gateway has a network interface to try it on"
                            : "no watched gateway could be looked up to try it on: " + String.join(", ", unknown));
        }
        List<Check> answers = new ArrayList<>();
        for (FlowLogRequest request : tries.values()) {
            String on = request.mode() == GatewayMode.REGIONAL
                    ? "the regional gateway " + request.natGatewayId()
                    : request.resourceIds().get(0) + " of " + request.natGatewayId();
            answers.add(check(permission, purpose + ", tried on " + on, () -> {
                clients.ec2(place)
                        .createFlowLogs(
                                flowLogs
                                        .createRequest(place, new FlowLogBatch("preflight", List.of(request)))
                                        .toBuilder()
                                        .dryRun(true)
                                        .clientToken(null)
                                        .overrideConfiguration(TAGGED)
                                        .build());
                return null;
            }));
        }
        return answers.stream()
                .filter(c -> c.outcome() != Outcome.ALLOWED)
                .findFirst()
                .orElseGet(() -> new Check(
                        permission,
                        Outcome.ALLOWED,
                        answers.stream().map(Check::detail).collect(Collectors.joining("; "))));
    }

    private static Check check(String permission, String purpose, Supplier<Void> call) {
        try {
            call.get();
            return new Check(permission, Outcome.ALLOWED, "the recorder may " + purpose);
        } catch (AwsServiceException e) {
            String code = AwsErrors.codeOf(e);
            String message = e.awsErrorDetails() == null
                    ? e.getMessage()
                    : e.awsErrorDetails().errorMessage();
            if (DRY_RUN_OK.equals(code)) {
                return new Check(permission, Outcome.ALLOWED, "the recorder may " + purpose);
            }
            if (DENIED.contains(code) || e.statusCode() == 403) {
                return new Check(
                        permission,
                        Outcome.MISSING,
                        "the recorder's role does not allow it, so it cannot " + purpose + " (AWS answered " + code
                                + ": " + message + ")");
            }
            return new Check(permission, Outcome.UNCHECKED, "AWS answered " + code + ": " + message);
        } catch (SdkException e) {
            return new Check(permission, Outcome.UNCHECKED, "AWS could not be reached: " + e.getMessage());
        }
    }

    @Override
    public Health health() {
        Result result = last;
        if (result == null) {
            return Health.unknown()
                    .withDetail("reason", "the preflight has not run yet")
                    .build();
        }
        Map<String, String> checks = new LinkedHashMap<>();
        result.checks().forEach(c -> checks.put(c.permission(), name(c.outcome())));
        List<String> missing = result.with(Outcome.MISSING).stream()
                .map(c -> c.permission() + ": " + c.detail())
                .toList();
        Health.Builder health = !missing.isEmpty()
                ? Health.down().withDetail("missing", missing)
                : result.with(Outcome.UNCHECKED).isEmpty() ? Health.up() : Health.unknown();
        List<String> unchecked = result.with(Outcome.UNCHECKED).stream()
                .map(c -> c.permission() + ": " + c.detail())
                .toList();
        if (!unchecked.isEmpty()) {
            health.withDetail("unchecked", unchecked);
        }
        return health.withDetail("checks", checks)
                .withDetail("checkedAt", result.at().toString())
                .build();
    }

    private static String name(Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }
}
