package dev.vpcflowlogs.recorder.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vpcflowlogs.recorder.standin.Wire.Caller;
import dev.vpcflowlogs.recorder.standin.Wire.Protocol;
import dev.vpcflowlogs.recorder.standin.Wire.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local, stateful stand-in for the AWS APIs the recorder calls, speaking the SDK's wire protocols: EC2 query
 * (form-encoded POST, XML answers), SNS query (XML), CloudWatch Logs JSON 1.1 and CloudWatch's Smithy RPC v2 CBOR.
 * It keeps NAT gateways (with tags), network interfaces, flow logs, log groups, metric alarms and published messages;
 * honours ClientToken and EC2's DryRun; answers {@code Unsuccessful} items and AWS's error codes; and injects faults
 * (errors, throttling, delay, a missing permission) on demand.
 *
 * <p>One file per service, each naming the AWS rules it enforces and their sources: {@link Ec2Api} and {@link
 * Ec2State} (EC2), {@link LogsApi} (CloudWatch Logs), {@link CloudWatchApi} (CloudWatch), {@link SnsApi} (SNS),
 * {@link CredentialsApi} (STS and the container credentials endpoint); {@link Wire} holds what they share on the wire
 * (who signed a request, form encoding, each protocol's errors), {@link Faults} what a test injects. This class is
 * the server, the state per account and region, and the API the tests set it up and inspect it with.
 *
 * <p>Only for tests and local runs: it listens on 127.0.0.1 and checks no signature.
 */
public final class AwsStandIn implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AwsStandIn.class);

    private final HttpServer server;
    private final ExecutorService executor;
    /** The account a request's credentials belong to when the stand-in does not know them otherwise. */
    public static final String DEFAULT_ACCOUNT = "123456789012";
    /** The region of a request without a SigV4 scope. */
    public static final String DEFAULT_REGION = "us-east-1";

    /** One account in one region: EC2, CloudWatch, CloudWatch Logs and SNS keep their state apart by it. */
    record Tenancy(String account, String region) {}

    /** What AWS keeps in one account and region. */
    static final class Tenant {
        final Tenancy where;
        final Ec2State ec2 = new Ec2State();
        /** Log groups and their retention in days (0: never expire). */
        final Map<String, Integer> logGroups = new ConcurrentHashMap<>();

        final Map<String, Map<String, String>> logGroupTags = new ConcurrentHashMap<>();
        /** Log groups' classes; a group not in it is STANDARD. */
        final Map<String, String> logGroupClasses = new ConcurrentHashMap<>();

        final InsightsApi insights = new InsightsApi();
        final Map<String, Map<String, List<LogsApi.LogEvent>>> logEvents = new ConcurrentHashMap<>();
        final List<Published> published = Collections.synchronizedList(new ArrayList<>());
        final CloudWatchApi cloudWatch = CloudWatchApi.create();
        final Set<String> topics = ConcurrentHashMap.newKeySet();

        Tenant(Tenancy where) {
            this.where = where;
        }
    }

    private final Map<Tenancy, Tenant> tenants = new ConcurrentHashMap<>();
    private final Tenant defaultTenant = tenant(DEFAULT_ACCOUNT, DEFAULT_REGION);
    /** The tenant of the request being handled, or of the test's {@link #in} block. */
    private final ThreadLocal<Tenant> current = new ThreadLocal<>();

    private final Map<String, String> accessKeyAccounts = new ConcurrentHashMap<>();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requestIds = new AtomicInteger();
    private final CredentialsApi credentials = new CredentialsApi();
    private final Faults faults = new Faults();

    static {
        // The JDK's server writes the head and the body of an answer apart; without TCP_NODELAY each small answer
        // waits for the client's delayed ACK (about 40 ms on Linux).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private AwsStandIn(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts on a free port of 127.0.0.1. */
    public static AwsStandIn start() {
        return start(0);
    }

    public static AwsStandIn start(int port) {
        try {
            AwsStandIn standIn = new AwsStandIn(port);
            standIn.server.start();
            return standIn;
        } catch (IOException e) {
            throw new IllegalStateException("the AWS stand-in could not start", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- set-up and inspection, for tests ----

    private Tenant tenant(String account, String region) {
        return tenants.computeIfAbsent(new Tenancy(account, region), Tenant::new);
    }

    /** The account and region being worked in: a request's, a test's {@link #in} block's, or the default. */
    private Tenant here() {
        Tenant t = current.get();
        return t == null ? defaultTenant : t;
    }

    Ec2State ec2() {
        return here().ec2;
    }

    Tenant tenantHere() {
        return here();
    }

    /**
     * Runs set-up or inspection in another account and region: every helper called inside acts there, as a call
     * signed with that account's credentials in that region would.
     */
    public <T> T in(String account, String region, java.util.function.Supplier<T> action) {
        Tenant before = current.get();
        current.set(tenant(account, region));
        try {
            return action.get();
        } finally {
            current.set(before);
        }
    }

    public void in(String account, String region, Runnable action) {
        in(account, region, () -> {
            action.run();
            return null;
        });
    }

    /** Requests signed with this access key come from this account. */
    public AwsStandIn accessKey(String accessKeyId, String account) {
        accessKeyAccounts.put(accessKeyId, account);
        return this;
    }

    /** A NAT gateway in state {@code available} with these network interfaces (one address each). */
    public AwsStandIn natGateway(String natGatewayId, String... interfaceIds) {
        ec2().addNatGateway(natGatewayId, "available", List.of(interfaceIds));
        return this;
    }

    /**
     * A regional NAT gateway ({@code availabilityMode regional}) in state {@code available}, with one address in each
     * of these Availability Zones and no network interface listed.
     */
    public AwsStandIn regionalNatGateway(String natGatewayId, String... zones) {
        ec2().addRegionalNatGateway(natGatewayId, List.of(zones));
        return this;
    }

    /** Tags a NAT gateway (replacing its tags). */
    public AwsStandIn natGatewayTags(String natGatewayId, Map<String, String> tags) {
        ec2().setNatGatewayTags(natGatewayId, tags);
        return this;
    }

    public AwsStandIn natGatewayState(String natGatewayId, String state) {
        ec2().setNatGatewayState(natGatewayId, state);
        return this;
    }

    /**
     * An EC2 instance's primary interface in the tests' VPC, its Name tag on the instance (as DescribeTags reads it),
     * with these private addresses.
     */
    public AwsStandIn instance(String instanceId, String name, String zone, String... ips) {
        ec2().addInterface(new Ec2State.Eni(
                "eni-" + instanceId.substring(2),
                "interface",
                "Primary network interface",
                null,
                Ec2State.VPC,
                "subnet-" + zone,
                zone,
                List.of(ips),
                instanceId,
                Map.of()));
        ec2().tagInstance(instanceId, Map.of("Name", name));
        return this;
    }

    /**
     * An EKS node of a managed node group: its primary interface (device 0, made with the instance) holds the node's
     * address and, as the Amazon VPC CNI assigns them, its pods' secondary addresses; the instance carries EKS's tags
     * ({@code eks:cluster-name}, {@code kubernetes.io/cluster/<name>}) and a Name.
     */
    public AwsStandIn eksNode(String instanceId, String cluster, String zone, String nodeIp, String... podIps) {
        List<String> ips = new ArrayList<>(List.of(nodeIp));
        ips.addAll(List.of(podIps));
        ec2().addInterface(new Ec2State.Eni(
                primaryInterfaceOf(instanceId),
                "interface",
                "",
                null,
                Ec2State.VPC,
                "subnet-" + zone,
                zone,
                ips,
                instanceId,
                Map.of(),
                0,
                List.of(),
                List.of(),
                null));
        ec2().tagInstance(
                        instanceId,
                        Map.of(
                                "Name",
                                cluster + "-node",
                                "eks:cluster-name",
                                cluster,
                                "kubernetes.io/cluster/" + cluster,
                                "owned"));
        return this;
    }

    /** The id the stand-in gives an instance's primary interface. */
    public static String primaryInterfaceOf(String instanceId) {
        return "eni-" + instanceId.substring(2) + "0";
    }

    /**
     * An interface the Amazon VPC CNI attached to a node for its pods (pkg/awsutils): description
     * {@code aws-K8S-<instance>}, tags {@code node.k8s.amazonaws.com/instance_id} and {@code createdAt}, and
     * {@code cluster.k8s.amazonaws.com/name} when the CNI knows its cluster (null: it does not). Its first address is
     * its own primary one, which no pod uses; pods get the others and the addresses of its /28 prefixes.
     */
    public AwsStandIn cniInterface(
            String instanceId,
            @Nullable String cluster,
            String zone,
            int deviceIndex,
            List<String> ips,
            List<String> prefixes) {
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        tags.put("node.k8s.amazonaws.com/instance_id", instanceId);
        tags.put("node.k8s.amazonaws.com/createdAt", "2026-12-01T08:00:00Z");
        if (cluster != null) {
            tags.put("cluster.k8s.amazonaws.com/name", cluster);
        }
        ec2().addInterface(new Ec2State.Eni(
                "eni-" + instanceId.substring(2) + deviceIndex,
                "interface",
                "aws-K8S-" + instanceId,
                null,
                Ec2State.VPC,
                "subnet-" + zone,
                zone,
                ips,
                instanceId,
                tags,
                deviceIndex,
                List.copyOf(prefixes),
                List.of(),
                null));
        return this;
    }

    /** Prefixes delegated to a node's primary interface (prefix mode on it, as EKS Auto Mode does). */
    public AwsStandIn primaryPrefixes(String instanceId, String... prefixes) {
        ec2().delegatePrefixes(primaryInterfaceOf(instanceId), List.of(prefixes));
        return this;
    }

    /**
     * An EKS Auto Mode node: EKS manages the instance and its primary interface ({@code operator} managed, principal
     * {@code eks.amazonaws.com}), which holds the node's address and the /28 prefixes its pods take addresses from. In
     * an account that hides managed resources, a describe without IncludeManagedResources sees neither.
     */
    public AwsStandIn autoModeNode(String instanceId, String cluster, String zone, String nodeIp, String... prefixes) {
        ec2().addInterface(new Ec2State.Eni(
                primaryInterfaceOf(instanceId),
                "interface",
                "",
                null,
                Ec2State.VPC,
                "subnet-" + zone,
                zone,
                List.of(nodeIp),
                instanceId,
                Map.of(),
                0,
                List.of(prefixes),
                List.of(),
                "eks.amazonaws.com"));
        ec2().tagInstance(instanceId, Map.of("Name", cluster + "-auto", "kubernetes.io/cluster/" + cluster, "owned"));
        return this;
    }

    /**
     * A branch interface of the VPC resource controller (security groups for pods): type {@code branch}, description
     * {@code aws-k8s-branch-eni}, attached to no instance, one pod's address.
     */
    public AwsStandIn branchInterface(String interfaceId, String zone, String ip) {
        ec2().addInterface(new Ec2State.Eni(
                interfaceId,
                "branch",
                "aws-k8s-branch-eni",
                null,
                Ec2State.VPC,
                "subnet-" + zone,
                zone,
                List.of(ip),
                null,
                Map.of("eks:eni:owner", "eks-vpc-resource-controller")));
        return this;
    }

    /** The instance is terminated (a node scaled in): its interfaces are gone from every describe. */
    public AwsStandIn terminate(String instanceId) {
        ec2().terminate(instanceId);
        return this;
    }

    /** Whether the account hides resources AWS services manage (ModifyManagedResourceVisibility); hidden at first. */
    public AwsStandIn managedResourcesHidden(boolean hidden) {
        ec2().managedResourcesHidden(hidden);
        return this;
    }

    /** A Lambda function's interface (type {@code lambda}, description {@code AWS Lambda VPC ENI-<function>-...}). */
    public AwsStandIn lambdaInterface(String interfaceId, String function, String zone, String ip) {
        ec2().addInterface(new Ec2State.Eni(
                interfaceId,
                "lambda",
                "AWS Lambda VPC ENI-" + function + "-5c1b0a2e-0b7e-4d8e-9f2a-2f9e6c1d7a10",
                "AROAEXAMPLEAWSLAMBDA:" + function,
                Ec2State.VPC,
                "subnet-" + zone,
                zone,
                List.of(ip),
                null,
                Map.of()));
        return this;
    }

    /** An ECS task's interface (awsvpc mode: its description is the task's attachment ARN). */
    public AwsStandIn ecsTaskInterface(String interfaceId, String attachmentId, String zone, String ip) {
        ec2().addInterface(new Ec2State.Eni(
                interfaceId,
                "interface",
                "arn:aws:ecs:us-east-1:123456789012:attachment/" + attachmentId,
                "AROAEXAMPLEECSAGENT:ecs-tasks",
                Ec2State.VPC,
                "subnet-" + zone,
                zone,
                List.of(ip),
                null,
                Map.of()));
        return this;
    }

    /** Moves a private address to another interface: it has a new owner from now on. */
    public AwsStandIn moveAddress(String ip, String toInterfaceId) {
        ec2().moveAddress(ip, toInterfaceId);
        return this;
    }

    /** What GetMetricData answers for a gateway's AWS/NATGateway metric: this sum each day. */
    public AwsStandIn natGatewayDailyBytes(String natGatewayId, String metric, double bytesPerDay) {
        here().cloudWatch.dailySum(natGatewayId, metric, bytesPerDay);
        return this;
    }

    /** A flow log somebody else made (no recorder tags). */
    public String foreignFlowLog(String interfaceId, String logGroup) {
        return ec2().createForeign(interfaceId, logGroup);
    }

    /** A flow log with these tags, as if some process had created it (a leak, or another tool's). */
    public String flowLogWithTags(String interfaceId, String logGroup, Map<String, String> tags) {
        return ec2().createTagged(interfaceId, logGroup, tags);
    }

    /** A flow log on a regional NAT gateway with these tags, as if some process had created it. */
    public String regionalFlowLogWithTags(String natGatewayId, String logGroup, Map<String, String> tags) {
        return ec2().createTagged("RegionalNatGateway", natGatewayId, logGroup, tags);
    }

    /** How many flow logs CreateFlowLogs made since the start (a repeated ClientToken makes none). */
    public int flowLogsCreated() {
        return ec2().created();
    }

    public List<FlowLog> flowLogs() {
        return ec2().flowLogs();
    }

    /** Every flow log CreateFlowLogs made since the start, deleted ones too. */
    public List<FlowLog> flowLogsEverCreated() {
        return ec2().history();
    }

    public List<FlowLog> flowLogsOn(String interfaceId) {
        return ec2().flowLogs().stream()
                .filter(f -> f.resourceId().equals(interfaceId))
                .toList();
    }

    /** The log groups here, with their retention in days (0: never expire). */
    public Map<String, Integer> logGroups() {
        return Map.copyOf(here().logGroups);
    }

    /** A log group made by someone else (a stack, an operator), with this retention (0: never expire) and tags. */
    public AwsStandIn logGroup(String group, int retentionDays, Map<String, String> tags) {
        here().logGroups.put(group, retentionDays);
        here().logGroupTags.put(group, Map.copyOf(tags));
        return this;
    }

    /** The class a log group was created in (STANDARD unless said otherwise). */
    public String logGroupClass(String group) {
        return here().logGroupClasses.getOrDefault(group, "STANDARD");
    }

    /** A log group made by someone else in another class. */
    public AwsStandIn logGroupOfClass(String group, String logGroupClass) {
        here().logGroups.putIfAbsent(group, 0);
        here().logGroupClasses.put(group, logGroupClass);
        return this;
    }

    /** Logs Insights queries allowed at once here (30, as the API reference says, unless a test lowers it). */
    public AwsStandIn insightsConcurrency(int queries) {
        here().insights.concurrency = queries;
        return this;
    }

    /** The next {@code queries} Logs Insights queries end Failed. */
    public AwsStandIn insightsFailNext(int queries) {
        here().insights.failNext.set(queries);
        return this;
    }

    /** Logs Insights queries wait this long before they run. */
    public AwsStandIn insightsDelay(java.time.Duration delay) {
        here().insights.delay = delay;
        return this;
    }

    /** The query strings Logs Insights was asked to run here, in order. */
    public List<String> insightsStarted() {
        return here().insights.started();
    }

    /** The ids of the queries stopped by StopQuery here. */
    public List<String> insightsStopped() {
        return here().insights.stopped();
    }

    /** Queries scheduled or running here now. */
    public long insightsRunning() {
        return here().insights.running();
    }

    public Map<String, String> logGroupTags(String group) {
        return here().logGroupTags.getOrDefault(group, Map.of());
    }

    /**
     * Writes log events into a stream of a group, as flow log delivery would: the stream appears with its first
     * events (a group that does not exist yet is created, as VPC Flow Logs does with its delivery role).
     */
    public AwsStandIn putLogEvents(String group, String stream, List<LogsApi.LogEvent> events) {
        here().logGroups.putIfAbsent(group, 0);
        List<LogsApi.LogEvent> list = here().logEvents
                .computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                .computeIfAbsent(stream, st -> Collections.synchronizedList(new ArrayList<>()));
        list.addAll(events);
        return this;
    }

    /** Flow log records for an interface at one time, in its {@code <eni>-all} stream. */
    public AwsStandIn flowLogRecords(String group, String interfaceId, long timestampMillis, List<String> lines) {
        return putLogEvents(
                group,
                interfaceId + "-all",
                lines.stream()
                        .map(l -> new LogsApi.LogEvent(timestampMillis, l))
                        .toList());
    }

    /**
     * Flow log records at one time in a stream named by the test: how AWS names a regional NAT gateway's streams is
     * not documented, so tests deliver them under each name the recorder must cope with.
     */
    public AwsStandIn flowLogRecordsInStream(String group, String stream, long timestampMillis, List<String> lines) {
        return putLogEvents(
                group,
                stream,
                lines.stream()
                        .map(l -> new LogsApi.LogEvent(timestampMillis, l))
                        .toList());
    }

    Map<String, List<LogsApi.LogEvent>> logStreams(String group) {
        Map<String, List<LogsApi.LogEvent>> streams = here().logEvents.getOrDefault(group, Map.of());
        Map<String, List<LogsApi.LogEvent>> copy = new java.util.TreeMap<>();
        streams.forEach((name, events) -> {
            if (events instanceof LogsApi.Generated generated) {
                copy.put(name, generated);
                return;
            }
            synchronized (events) {
                copy.put(name, List.copyOf(events));
            }
        });
        return copy;
    }

    /**
     * A stream whose events are made as they are read (it replaces a stream of that name): for recordings too big to
     * hold. The group is created if it does not exist, as flow log delivery does.
     */
    public AwsStandIn generatedStream(String group, String stream, GeneratedEvents events) {
        here().logGroups.putIfAbsent(group, 0);
        here().logEvents
                .computeIfAbsent(group, g -> new ConcurrentHashMap<>())
                .put(stream, new LogsApi.Generated(events));
        return this;
    }

    private volatile int filterPage = LogsApi.PAGE;

    /** Events a FilterLogEvents page of generated streams holds: 1,000 unless set (AWS: up to 10,000 or 1 MB). */
    public AwsStandIn filterPage(int events) {
        this.filterPage = events;
        return this;
    }

    int filterPage() {
        return filterPage;
    }

    /** STS accepts this web identity token (IRSA's projected service account token) for this role. */
    public AwsStandIn acceptWebIdentity(String roleArn, String token) {
        credentials.acceptWebIdentity(roleArn, token);
        return this;
    }

    /**
     * A member account's role: STS lets callers of {@code trustedAccount} assume it, with this ExternalId if not null
     * (the role's trust policy), and issues credentials of the role's account.
     */
    public AwsStandIn memberRole(String roleArn, String trustedAccount, String externalId) {
        credentials.trust(roleArn, trustedAccount, externalId);
        return this;
    }

    /** STS refuses this role to everyone from now on (AccessDenied), as when its trust policy changed. */
    public AwsStandIn denyAssumeRole(String roleArn) {
        credentials.deny(roleArn);
        return this;
    }

    /** STS lets the holder of this access key assume this role (a profile's {@code role_arn} with a source). */
    public AwsStandIn allowAssumeRole(String roleArn, String callerAccessKeyId) {
        credentials.allowAssumeRole(roleArn, callerAccessKeyId);
        return this;
    }

    /**
     * Serves container credentials (EKS Pod Identity's agent, ECS's endpoint) at {@link #containerCredentialsUri()}
     * to requests whose Authorization header is this token.
     */
    public AwsStandIn containerCredentials(String authorizationToken) {
        credentials.containerAuthorization(authorizationToken);
        return this;
    }

    public URI containerCredentialsUri() {
        return endpoint().resolve(CredentialsApi.CONTAINER_PATH);
    }

    /** How long the credentials it issues are valid. */
    public AwsStandIn credentialsLifetime(Duration lifetime) {
        credentials.lifetime(lifetime);
        return this;
    }

    /** Every set of credentials STS or the container endpoint issued, in order. */
    public List<CredentialsApi.Issued> issuedCredentials() {
        return credentials.issued();
    }

    /** An SNS topic that exists: Publish to any other answers NotFound, as SNS does. */
    public AwsStandIn topic(String topicArn) {
        here().topics.add(topicArn);
        return this;
    }

    /**
     * The flow log exists but does not deliver: DescribeFlowLogs answers {@code DeliverLogsStatus FAILED} with this
     * {@code DeliverLogsErrorMessage} (the EC2 API reference, FlowLog: "Rate limited", "Access error", "Unknown
     * error").
     */
    public AwsStandIn deliveryFails(String flowLogId, String message) {
        ec2().failDelivery(flowLogId, message);
        return this;
    }

    /**
     * EC2 is eventually consistent: from now on a flow log just created is missing from DescribeFlowLogs for this
     * long.
     */
    public AwsStandIn visibilityDelay(Duration delay) {
        ec2().visibilityDelay(delay);
        return this;
    }

    public List<Published> published() {
        List<Published> published = here().published;
        synchronized (published) {
            return List.copyOf(published);
        }
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /**
     * The calls of {@code action} that the recorder's work made: neither dry runs ({@link #dryRuns}) nor the
     * permission preflight's look-ups ({@link #preflightCalls}).
     */
    public List<Call> calls(String action) {
        return calls().stream()
                .filter(c -> c.action().equals(action) && !c.dryRun() && !c.preflight())
                .toList();
    }

    /** The calls of the recorder's permission preflight. */
    public List<Call> preflightCalls() {
        return calls().stream().filter(Call::preflight).toList();
    }

    /** The EC2 calls of {@code action} with {@code DryRun=true}. */
    public List<Call> dryRuns(String action) {
        return calls().stream()
                .filter(c -> c.action().equals(action) && c.dryRun())
                .toList();
    }

    // ---- faults, for every service (Faults) ----

    /** The next {@code times} calls of {@code action} fail with this HTTP status and error code. */
    public AwsStandIn failNext(String action, int times, int status, String code) {
        faults.failNext(action, times, status, code);
        return this;
    }

    /**
     * From now on a share of the calls of {@code action} ("*" for every EC2 action) fails so; several such faults
     * add up (30% throttled and 10% 500 fail 40% of the calls).
     */
    public AwsStandIn failRandomly(String action, double share, int status, String code) {
        faults.failRandomly(action, share, status, code);
        return this;
    }

    /** Calls of {@code action} wait, before anything happens, until {@link #releaseHolds()}. */
    public AwsStandIn holdBefore(String action) {
        faults.holdBefore(action);
        return this;
    }

    /** Calls of {@code action} take effect, then their answer waits until {@link #releaseHolds()}. */
    public AwsStandIn holdAfter(String action) {
        faults.holdAfter(action);
        return this;
    }

    /** Calls of {@code action} whose parameters match take effect, then their answer waits until {@link #releaseHolds()}. */
    public AwsStandIn holdAfterIf(String action, java.util.function.Predicate<Map<String, String>> when) {
        faults.holdAfterIf(action, when);
        return this;
    }

    /** Lets every held call go on, and holds no more. */
    public void releaseHolds() {
        faults.releaseHolds();
    }

    /** CloudWatch Logs' read quotas: see {@link Faults#throttleLikeLogs}. */
    public AwsStandIn throttleLikeLogs(int filterLogEventsPerSecond, int describeLogStreamsPerSecond) {
        faults.throttleLikeLogs(filterLogEventsPerSecond, describeLogStreamsPerSecond);
        return this;
    }

    /** EC2's throttling: see {@link Faults#throttleLikeEc2}. */
    public AwsStandIn throttleLikeEc2(
            int mutatingBucket, int mutatingPerSecond, int describeBucket, int describePerSecond) {
        faults.throttleLikeEc2(mutatingBucket, mutatingPerSecond, describeBucket, describePerSecond);
        return this;
    }

    /** CloudWatch's alarm quotas, on from the start: see {@link Faults#cloudWatchQuotas}. */
    public AwsStandIn cloudWatchQuotas(boolean on) {
        faults.cloudWatchQuotas(on);
        return this;
    }

    /** How many CloudWatch alarm calls (PutMetricAlarm, DescribeAlarms, DeleteAlarms) were over CloudWatch's quota. */
    public int cloudWatchThrottled() {
        return faults.cloudWatchThrottled();
    }

    /** How many EC2 calls {@link #throttleLikeEc2} refused. */
    public int throttled() {
        return faults.throttled();
    }

    /** How many calls were answered with an injected fault. */
    public int faultsInjected() {
        return faults.faultsInjected();
    }

    public AwsStandIn delay(Duration delay) {
        faults.delay(delay);
        return this;
    }

    public AwsStandIn clearFaults() {
        faults.clearFaults();
        return this;
    }

    /**
     * From now on every call of {@code action}, dry run or not, is refused as the recorder's role lacking the
     * permission: 403 with the service's own code (UnauthorizedOperation for EC2).
     */
    public AwsStandIn deny(String action) {
        faults.deny(action);
        return this;
    }

    public AwsStandIn allow(String action) {
        faults.allow(action);
        return this;
    }

    // ---- CloudWatch alarms ----

    /** The metric alarms, by name. */
    public Map<String, Alarm> alarms() {
        return here().cloudWatch.alarms();
    }

    /** An alarm someone else made, with these tags (none: not the recorder's). */
    public AwsStandIn foreignAlarm(String name, Map<String, String> tags) {
        here().cloudWatch
                .put(new Alarm(
                        name, Map.of("AlarmName", name, "EvaluationPeriods", 1, "Threshold", 5.0), Map.copyOf(tags)));
        return this;
    }

    // ---- the wire ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = Wire.readAll(exchange.getRequestBody());
            Caller caller = Caller.of(exchange);
            current.set(tenant(accountOf(caller.accessKeyId()), caller.region()));
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Response response;
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith(CredentialsApi.CONTAINER_PATH)) {
                response = credentials.container(exchange.getRequestHeaders().getFirst("Authorization"));
            } else if (path.startsWith(CloudWatchApi.PATH)) {
                String action = path.substring(CloudWatchApi.PATH.length());
                Map<String, Object> request = CloudWatchApi.read(body);
                response = guarded(
                        action,
                        Map.of(),
                        false,
                        caller,
                        () -> here().cloudWatch.handle(this, action, request),
                        Protocol.CBOR);
            } else if (target != null && target.startsWith("Logs_20140328.")) {
                String action = target.substring("Logs_20140328.".length());
                // A JSON request is kept whole as its only parameter, "body", for tests to look at.
                response = guarded(
                        action,
                        Map.of("body", new String(body, StandardCharsets.UTF_8)),
                        false,
                        caller,
                        () -> LogsApi.handle(this, action, new String(body, StandardCharsets.UTF_8)),
                        Protocol.JSON);
            } else {
                Map<String, String> params = Wire.parseForm(new String(body, StandardCharsets.UTF_8));
                String action = params.getOrDefault("Action", "");
                Protocol protocol =
                        switch (params.getOrDefault("Version", "")) {
                            case "2010-03-31" -> Protocol.SNS;
                            case CredentialsApi.STS_VERSION -> Protocol.STS;
                            default -> Protocol.EC2;
                        };
                boolean dryRun = protocol == Protocol.EC2 && "true".equals(params.get("DryRun"));
                response = guarded(
                        action,
                        params,
                        dryRun,
                        caller,
                        () -> switch (protocol) {
                            case SNS -> SnsApi.handle(here(), action, params, requestId());
                            case STS ->
                                credentials.sts(
                                        action,
                                        params,
                                        caller.accessKeyId(),
                                        accountOf(caller.accessKeyId()),
                                        requestId());
                            default -> Ec2Api.handle(this, action, params, dryRun);
                        },
                        protocol);
            }
            byte[] bytes = response.body();
            exchange.getResponseHeaders().add("Content-Type", response.contentType());
            if (CloudWatchApi.CONTENT_TYPE.equals(response.contentType())) {
                exchange.getResponseHeaders().add("smithy-protocol", "rpc-v2-cbor");
            }
            exchange.getResponseHeaders().add("x-amzn-RequestId", requestId());
            exchange.sendResponseHeaders(response.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (RuntimeException e) {
            log.error("The AWS stand-in failed on a request", e);
        } finally {
            current.remove();
        }
    }

    /** The account of an access key: one STS issued belongs to its role's account. */
    String accountOf(String accessKeyId) {
        if (accessKeyId == null) {
            return DEFAULT_ACCOUNT;
        }
        String issued = credentials.accountOf(accessKeyId);
        return issued != null ? issued : accessKeyAccounts.getOrDefault(accessKeyId, DEFAULT_ACCOUNT);
    }

    private Response guarded(
            String action,
            Map<String, String> params,
            boolean dryRun,
            Caller caller,
            java.util.function.Supplier<Response> handler,
            Protocol protocol) {
        Call call = new Call(
                action,
                params,
                Instant.now(),
                dryRun,
                caller.userAgent(),
                Wire.servicePrefix(protocol),
                caller.accessKeyId(),
                caller.sessionToken(),
                accountOf(caller.accessKeyId()),
                caller.region());
        calls.add(call);
        return faults.guard(call, protocol, dryRun, handler, this::requestId);
    }

    String requestId() {
        return "standin-" + requestIds.incrementAndGet();
    }

    /**
     * One call as the stand-in received it.
     *
     * @param service the IAM service prefix (ec2, sns, sts, logs, cloudwatch)
     * @param accessKeyId the access key of its SigV4 signature ({@code Credential=<key>/...}); null if unsigned
     * @param sessionToken its {@code X-Amz-Security-Token}: temporary credentials have one
     * @param account the account its credentials belong to
     * @param region the region of its SigV4 credential scope
     */
    public record Call(
            String action,
            Map<String, String> params,
            Instant at,
            boolean dryRun,
            String userAgent,
            String service,
            String accessKeyId,
            String sessionToken,
            String account,
            String region) {

        /** Made by the recorder's permission preflight (it says so in its User-Agent). */
        public boolean preflight() {
            return userAgent != null && userAgent.contains(PREFLIGHT_AGENT);
        }
    }

    /** What the recorder's permission preflight adds to its calls' User-Agent. */
    static final String PREFLIGHT_AGENT = "vpc-flowlogs-recorder-preflight";

    /** A metric alarm as PutMetricAlarm wrote it (its request's fields), with its tags. */
    public record Alarm(String name, Map<String, Object> settings, Map<String, String> tags) {}

    /** One SNS message. */
    public record Published(String topicArn, String subject, String message) {}

    /**
     * A flow log as the stand-in keeps it.
     *
     * @param deliverLogsErrorMessage null while it delivers ({@code DeliverLogsStatus SUCCESS})
     */
    public record FlowLog(
            String flowLogId,
            String resourceType,
            String resourceId,
            String trafficType,
            String logGroupName,
            String deliverLogsPermissionArn,
            String logFormat,
            int maxAggregationInterval,
            Map<String, String> tags,
            Instant createdAt,
            String deliverLogsErrorMessage) {

        FlowLog withDeliveryError(String message) {
            return new FlowLog(
                    flowLogId,
                    resourceType,
                    resourceId,
                    trafficType,
                    logGroupName,
                    deliverLogsPermissionArn,
                    logFormat,
                    maxAggregationInterval,
                    tags,
                    createdAt,
                    message);
        }
    }
}
