package dev.vpcflowlogs.recorder.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Everything under {@code recorder.*}. A bad value stops start-up with a message naming the property. */
@Validated
@ConfigurationProperties("recorder")
public record RecorderProperties(
        @DefaultValue("vpc-flowlogs-recorder-events") @NotBlank String queue,
        List<@Valid @NotNull NatGateway> natGateways,
        @DefaultValue @Valid Alarms alarms,
        @DefaultValue @Valid Discovery discovery,
        @DefaultValue @Valid Recording recording,
        @DefaultValue @Valid FlowLogs flowLogs,
        @DefaultValue @Valid Notifications notifications,
        @DefaultValue @Valid Intake intake,
        @DefaultValue @Valid Report report,
        @DefaultValue @Valid Reconciler reconciler,
        @DefaultValue @Valid Aws aws,
        List<@Valid @NotNull Account> accounts,
        @DefaultValue(DEFAULT_MEMBER_ROLE)
                @Pattern(
                        regexp = "arn:aws[a-z-]*:iam::(\\{account}|\\d{12}):role/([\\w+=,.@/-]|\\{region})+",
                        message = "must be a role ARN, with {account} for the account's id and {region} for the region")
                String memberRoleArn,
        List<@NotNull @Pattern(regexp = REGION, message = "must be a region such as eu-west-1") String> regions,
        @DefaultValue @Valid Console console,
        @DefaultValue @Valid Preflight preflight) {

    /**
     * The role the recorder assumes in a member account and region, unless the account names its own: as
     * deploy/recorder-member.yaml names it, one role per region so that every stack instance of a StackSet is whole.
     */
    public static final String DEFAULT_MEMBER_ROLE =
            "arn:aws:iam::{account}:role/vpc-flowlogs-recorder-member-{region}";

    /** What a region id looks like. */
    public static final String REGION = "[a-z]{2}(-[a-z]+)+-\\d";

    public RecorderProperties {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
        regions = regions == null ? List.of() : List.copyOf(regions);
        if (accounts.stream().map(Account::id).distinct().count() != accounts.size()) {
            throw new IllegalArgumentException("recorder.accounts lists an account id twice");
        }
        natGateways = natGateways == null ? List.of() : List.copyOf(natGateways);
        for (int i = 0; i < natGateways.size(); i++) {
            NatGateway g = natGateways.get(i);
            if (g.account() != null && accounts.stream().noneMatch(a -> a.id().equals(g.account()))) {
                throw new IllegalArgumentException("recorder.nat-gateways[" + i + "].account: " + g.account()
                        + " is not among recorder.accounts[].id");
            }
        }
        long distinct = natGateways.stream().map(NatGateway::id).distinct().count();
        if (distinct != natGateways.size()) {
            throw new IllegalArgumentException("recorder.nat-gateways lists a gateway id twice");
        }
        if (natGateways.isEmpty() && (discovery == null || !discovery.enabled())) {
            throw new IllegalArgumentException("recorder.nat-gateways: name at least one NAT gateway to watch"
                    + " (recorder.nat-gateways[0].id), or discover them by tag (recorder.discovery.tags)");
        }
        if (alarms != null) {
            for (int i = 0; i < natGateways.size(); i++) {
                alarms.settingsFor(natGateways.get(i)).validated("recorder.nat-gateways[" + i + "].");
            }
        }
    }

    /** The listed gateway of this id, if any. */
    public java.util.Optional<NatGateway> listed(String natGatewayId) {
        return natGateways.stream().filter(g -> g.id().equals(natGatewayId)).findFirst();
    }

    /**
     * An AWS account the recorder records in besides its own, through a role it assumes there.
     *
     * @param id the 12-digit account id
     * @param roleArn the role to assume (it may name {@code {region}}); default {@code recorder.member-role-arn} with
     *     {@code {account}} and {@code {region}} filled in
     * @param externalId the ExternalId the role's trust policy asks for, if any
     * @param regions where its gateways are (discovery by tag runs in each); default the recorder's own region
     */
    public record Account(
            @NotBlank @Pattern(regexp = "\\d{12}", message = "must be a 12-digit account id") String id,
            @Nullable
                    @Pattern(
                            regexp = "arn:aws[a-z-]*:iam::\\d{12}:role/([\\w+=,.@/-]|\\{region})+",
                            message = "must be a role ARN (it may name {region})")
                    String roleArn,
            @Nullable @Pattern(regexp = "[\\w+=,.@:/-]{2,1224}", message = "must be 2 to 1224 of [\\w+=,.@:/-]")
                    String externalId,
            List<@NotNull @Pattern(regexp = REGION, message = "must be a region such as eu-west-1") String> regions) {

        public Account {
            regions = regions == null ? List.of() : List.copyOf(regions);
        }
    }

    /**
     * A NAT gateway the recorder watches, in the recorder's own account and region unless {@code account} or
     * {@code region} say otherwise. Every other field, when set, overrides the same {@code recorder.alarms.*}
     * setting for this gateway's alarm.
     */
    public record NatGateway(
            @NotBlank
                    @Pattern(
                            regexp = NAT_GATEWAY_ID,
                            message = "must be a NAT gateway id such as nat-0a1b2c3d4e5f60718")
                    String id,
            AlarmSettings.@Nullable AlarmMode mode,
            @Nullable Duration period,
            @Nullable Integer evaluationPeriods,
            @Nullable Integer datapointsToAlarm,
            @Nullable DataSize threshold,
            @Nullable List<String> metrics,
            @Nullable Double bandWidth,
            @Nullable @Pattern(regexp = "\\d{12}", message = "must be a 12-digit account id among recorder.accounts")
                    String account,
            @Nullable @Pattern(regexp = REGION, message = "must be a region such as eu-west-1") String region) {

        /** A listed gateway with the global alarm settings, in the recorder's own account and region. */
        public static NatGateway of(String id) {
            return new NatGateway(id, null, null, null, null, null, null, null, null, null);
        }
    }

    /** What a NAT gateway id looks like. */
    public static final String NAT_GATEWAY_ID = "nat-[0-9a-f]{8}([0-9a-f]{9})?";

    /**
     * The CloudWatch alarms that feed the recorder, one per watched gateway, named {@code <name-prefix><gateway id>}.
     *
     * @param managed false: the user brings their own alarms and the recorder never calls CloudWatch
     * @param reconcileInterval how often (and once at start-up) the alarms in CloudWatch are made to match
     * @param startDelay how long after start-up the first pass waits once the watched gateways are known: the spikes
     *     that queued while the recorder was down come first (a pass reads every alarm, a thousand of them on a restart)
     */
    public record Alarms(
            @DefaultValue("true") boolean managed,
            @DefaultValue("vpc-flowlogs-recorder-")
                    @Pattern(
                            regexp = "[A-Za-z0-9_.:/+=@-]{1,200}",
                            message = "must be 1 to 200 letters, digits or _.:/+=@-")
                    String namePrefix,
            @DefaultValue("static") AlarmSettings.AlarmMode mode,
            @DefaultValue("60s") Duration period,
            @DefaultValue("3") int evaluationPeriods,
            @DefaultValue("1") int datapointsToAlarm,
            @DefaultValue("100MB") DataSize threshold,
            @DefaultValue({"BytesInFromSource", "BytesInFromDestination"}) List<String> metrics,
            @DefaultValue("2") double bandWidth,
            @DefaultValue("5m") @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 6) Duration reconcileInterval,
            @DefaultValue("30s") @NotNull @DurationMax(minutes = 10) Duration startDelay) {

        public Alarms {
            // The fields are not assigned yet in a compact constructor: validate the parameters.
            new AlarmSettings(mode, period, evaluationPeriods, datapointsToAlarm, threshold, metrics, bandWidth)
                    .validated("recorder.alarms.");
        }

        /** The global settings. */
        public AlarmSettings settings() {
            return new AlarmSettings(mode, period, evaluationPeriods, datapointsToAlarm, threshold, metrics, bandWidth);
        }

        /** The settings of a gateway's alarm: its own entry's, else the global ones. */
        public AlarmSettings settingsFor(@Nullable NatGateway gateway) {
            if (gateway == null) {
                return settings();
            }
            return new AlarmSettings(
                    gateway.mode() != null ? gateway.mode() : mode,
                    gateway.period() != null ? gateway.period() : period,
                    gateway.evaluationPeriods() != null ? gateway.evaluationPeriods() : evaluationPeriods,
                    gateway.datapointsToAlarm() != null ? gateway.datapointsToAlarm() : datapointsToAlarm,
                    gateway.threshold() != null ? gateway.threshold() : threshold,
                    gateway.metrics() != null ? gateway.metrics() : metrics,
                    gateway.bandWidth() != null ? gateway.bandWidth() : bandWidth);
        }

        /** The name of a gateway's managed alarm. */
        public String alarmName(String natGatewayId) {
            return namePrefix + natGatewayId;
        }
    }

    /**
     * Gateways watched because of their tags, in addition to the listed ones.
     *
     * @param tags every one must be on a gateway for it to be watched; none: no discovery
     * @param refresh how often the tagged gateways are looked up again
     */
    public record Discovery(
            Map<String, String> tags,
            @DefaultValue("5m") @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 6) Duration refresh) {

        public Discovery {
            tags = tags == null ? Map.of() : Map.copyOf(new java.util.TreeMap<>(tags));
            if (tags.size() > 50) {
                throw new IllegalArgumentException("recorder.discovery.tags: at most 50 tags, not " + tags.size());
            }
        }

        public boolean enabled() {
            return !tags.isEmpty();
        }
    }

    /**
     * How long a recording lasts and how many a gateway may have.
     *
     * @param retryDelay the first wait before a start or stop that AWS refused is tried again (doubling, at most 10m)
     * @param sweepInterval how often the store is searched for deadlines whose timer did not fire
     * @param operatorRecordingsCount whether a recording started by hand counts against
     *     {@code max-recordings-per-gateway}
     * @param startBatchWindow during a burst, how long a start waits for others of its account and region to share
     *     its DescribeNatGateways and CreateFlowLogs calls; a start alone goes at once; 0 gives each start calls of
     *     its own
     * @param stopBatchWindow during a burst, how long a stop waits for others of its account and region to share its
     *     DescribeFlowLogs (delivery check) and DeleteFlowLogs calls; a stop alone goes at once; 0 gives each stop
     *     calls of its own
     */
    public record Recording(
            @DefaultValue("15m") @NotNull @DurationMin(seconds = 1) @DurationMax(days = 1) Duration maxDuration,
            @DefaultValue("2m") @NotNull @DurationMin(seconds = 0) @DurationMax(hours = 1) Duration tail,
            @DefaultValue("0") @Min(0) int maxRecordingsPerGateway,
            @DefaultValue("30s") @NotNull @DurationMin(seconds = 1) Duration retryDelay,
            @DefaultValue("30s") @NotNull @DurationMin(seconds = 1) @DurationMax(minutes = 10) Duration sweepInterval,
            @DefaultValue("false") boolean operatorRecordingsCount,
            @DefaultValue("20ms") @NotNull @DurationMin(millis = 0) @DurationMax(seconds = 1) Duration startBatchWindow,
            @DefaultValue("50ms") @NotNull @DurationMin(millis = 0) @DurationMax(seconds = 1)
                    Duration stopBatchWindow) {}

    /**
     * Where and how flow logs are written. The log group and the delivery role may name {@code {account}} and
     * {@code {region}}: each account and region then has its own.
     */
    public record FlowLogs(
            @DefaultValue("/vpc-flowlogs-recorder/recordings")
                    @NotBlank
                    @Pattern(
                            regexp = "([\\w/.#-]|\\{account}|\\{region}){1,512}",
                            message = "must be a log group name (letters, digits, _/.#-, {account}, {region})")
                    String logGroup,
            @DefaultValue("7") int retentionDays,
            @NotBlank(message = "is required: the IAM role that VPC Flow Logs assumes to write to the log group")
                    @Pattern(
                            regexp = "arn:aws[\\w-]*:iam::(\\d{12}|\\{account}):role/.+",
                            message = "must be an IAM role ARN (its account may be {account})")
                    String deliveryRoleArn,
            String logFormat,
            @DefaultValue("60s") @NotNull Duration maxAggregationInterval,
            LogGroupClass logGroupClass,
            Map<String, List<String>> tagFields) {

        /**
         * The class of the log groups the recorder creates (CreateLogGroup {@code logGroupClass}; it never changes
         * afterwards). Infrequent Access costs half as much a GB and is read only through Logs Insights.
         */
        public enum LogGroupClass {
            STANDARD,
            INFREQUENT_ACCESS
        }

        /** Retention periods CloudWatch Logs accepts, in days. */
        static final Set<Integer> RETENTION_DAYS = Set.of(
                1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
                3653);

        public FlowLogs {
            logFormat = logFormat == null ? FlowLogFormat.ORIGINAL_FORMAT : logFormat;
            try {
                FlowLogFormat.parse(logFormat);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("recorder.flow-logs.log-format: " + e.getMessage(), e);
            }
            if (!RETENTION_DAYS.contains(retentionDays)) {
                throw new IllegalArgumentException("recorder.flow-logs.retention-days must be one of "
                        + RETENTION_DAYS.stream().sorted().toList() + " (CloudWatch Logs' allowed values), not "
                        + retentionDays);
            }
            logGroupClass = logGroupClass == null ? LogGroupClass.STANDARD : logGroupClass;
            tagFields = tagFields == null ? Map.of() : Map.copyOf(tagFields);
            checkTagFields(FlowLogFormat.parse(logFormat), tagFields);
            if (logGroupClass == LogGroupClass.INFREQUENT_ACCESS
                    && !FlowLogFormat.parse(logFormat).tellsNatSides()) {
                throw new IllegalArgumentException("recorder.flow-logs.log-group-class INFREQUENT_ACCESS is read"
                        + " through Logs Insights only, which needs ${flow-direction} ${srcaddr} ${dstaddr}"
                        + " ${pkt-srcaddr} ${pkt-dstaddr} ${bytes} in recorder.flow-logs.log-format");
            }
            if (maxAggregationInterval != null
                    && !maxAggregationInterval.equals(Duration.ofSeconds(60))
                    && !maxAggregationInterval.equals(Duration.ofSeconds(600))) {
                throw new IllegalArgumentException(
                        "recorder.flow-logs.max-aggregation-interval must be 60s or 600s, not "
                                + maxAggregationInterval);
            }
        }

        public FlowLogFormat format() {
            return FlowLogFormat.parse(logFormat);
        }

        /**
         * A tag field in the format needs its resource type's keys (CreateFlowLogs {@code TagFieldSpecifications}),
         * one for the first field and two for the "-2" field; keys without their field would show nowhere.
         */
        private static void checkTagFields(FlowLogFormat format, Map<String, List<String>> tagFields) {
            for (String type : tagFields.keySet()) {
                if (!FlowLogFormat.TAG_FIELDS.containsKey(type)) {
                    throw new IllegalArgumentException("recorder.flow-logs.tag-fields." + type
                            + ": the resource type must be one of "
                            + new java.util.TreeSet<>(FlowLogFormat.TAG_FIELDS.keySet()));
                }
            }
            FlowLogFormat.TAG_FIELDS.forEach((type, fields) -> {
                List<String> keys = tagFields.getOrDefault(type, List.of());
                int needed = format.has(fields.get(1)) ? 2 : format.has(fields.get(0)) ? 1 : 0;
                String property = "recorder.flow-logs.tag-fields." + type;
                if (keys.size() > 2 || keys.stream().anyMatch(k -> k == null || k.isBlank())) {
                    throw new IllegalArgumentException(property + " names one or two tag keys (for ${" + fields.get(0)
                            + "} and ${" + fields.get(1) + "}), not " + keys);
                }
                if (keys.size() < needed) {
                    throw new IllegalArgumentException(property + " needs " + needed + " tag key(s): the log format"
                            + " has ${" + fields.get(needed - 1) + "}");
                }
                if (keys.size() > needed) {
                    throw new IllegalArgumentException(property + " names " + keys.size() + " tag key(s) but the log"
                            + " format has " + (needed == 0 ? "no tag field" : "only " + needed) + " of "
                            + fields + ": add ${" + fields.get(needed) + "} to recorder.flow-logs.log-format");
                }
            });
        }

        /** Whether the log group or the delivery role differ by account. */
        public boolean namesAccount() {
            return logGroup.contains("{account}") || deliveryRoleArn.contains("{account}");
        }

        /** The log group in this account and region. */
        public String logGroupIn(String account, String region) {
            return logGroup.replace("{account}", account).replace("{region}", region);
        }

        /** The delivery role in this account. */
        public String deliveryRoleArnIn(String account, String region) {
            return deliveryRoleArn.replace("{account}", account).replace("{region}", region);
        }
    }

    /** Where the end-of-recording notification goes besides the log. */
    public record Notifications(
            @Pattern(
                            regexp = "arn:aws[\\w-]*:sns:[a-z0-9-]+:\\d{12}:[\\w-]{1,256}",
                            message = "must be an SNS topic ARN")
                    @Nullable
                    String topicArn) {}

    /**
     * The spike report sent with the end-of-recording notification.
     *
     * @param delay how long after a recording ends its records are read (CloudWatch Logs receives them late)
     * @param retryDelay how long a report whose first attempt found a flow log silent waits for its second
     * @param timeout how long reading and summing may take before the notification goes without the report
     * @param top how many conversations and hosts the stored report keeps (the notification shows 5)
     * @param capacity distinct keys counted exactly before the summary keeps only heavy hitters
     * @param reads FilterLogEvents calls per second at most (CloudWatch Logs allows few per account)
     * @param streamLookups DescribeLogStreams calls per second at most (AWS allows 25 per account and region)
     * @param parallel reports made at once; those of one log group share their FilterLogEvents calls
     * @param prices per region; a region without prices uses us-east-1's and the report says so
     * @param engine how a recording's records are read: {@code auto} (Logs Insights for a big recording or an
     *     Infrequent Access group, else streaming), {@code streaming} or {@code insights}
     * @param insights when and how Logs Insights reads
     */
    public record Report(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("5m") @NotNull @DurationMin(seconds = 0) @DurationMax(hours = 6) Duration delay,
            @DefaultValue("5m") @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 6) Duration retryDelay,
            @DefaultValue("2m") @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 1) Duration timeout,
            @DefaultValue("10") @Min(1) @Max(100) int top,
            @DefaultValue("50000") @Min(100) @Max(10_000_000) int capacity,
            @DefaultValue("4") @Min(1) @Max(100) int reads,
            @DefaultValue("20") @Min(1) @Max(100) int streamLookups,
            @DefaultValue("4") @Min(1) @Max(64) int parallel,
            Map<String, @Valid Prices> prices,
            Engine engine,
            @Valid Insights insights) {

        public static final String PRICE_REGION = "us-east-1";

        /** How records are read. */
        public enum Engine {
            AUTO,
            STREAMING,
            INSIGHTS
        }

        public Report {
            engine = engine == null ? Engine.AUTO : engine;
            insights = insights == null ? Insights.DEFAULTS : insights;
            Map<String, Prices> all = new java.util.TreeMap<>();
            all.put(PRICE_REGION, Prices.US_EAST_1);
            if (prices != null) {
                all.putAll(prices);
            }
            prices = Map.copyOf(all);
        }

        /** The prices of a region, or us-east-1's. */
        public Prices pricesFor(String region) {
            return prices.getOrDefault(priceRegionFor(region), Prices.US_EAST_1);
        }

        /** The region whose prices apply to {@code region}: itself if it has prices, else us-east-1. */
        public String priceRegionFor(String region) {
            return prices.containsKey(region) ? region : PRICE_REGION;
        }
    }

    /**
     * Prices in USD (see the region's price list).
     *
     * @param natGatewayPerGb NAT gateway data processing
     * @param interfaceEndpointPerGb interface VPC endpoint data processing
     * @param interfaceEndpointPerAzHour interface VPC endpoint, per availability zone and hour
     * @param interAzPerGb data between Availability Zones, charged in each direction (default $0.01, us-east-1's)
     */
    public record Prices(
            @NotNull @jakarta.validation.constraints.PositiveOrZero BigDecimal natGatewayPerGb,
            @NotNull @jakarta.validation.constraints.PositiveOrZero BigDecimal interfaceEndpointPerGb,
            @NotNull @jakarta.validation.constraints.PositiveOrZero BigDecimal interfaceEndpointPerAzHour,
            @jakarta.validation.constraints.PositiveOrZero BigDecimal interAzPerGb,
            @jakarta.validation.constraints.PositiveOrZero BigDecimal flowLogsPerGb,
            @jakarta.validation.constraints.PositiveOrZero BigDecimal flowLogsInfrequentAccessPerGb,
            @jakarta.validation.constraints.PositiveOrZero BigDecimal insightsPerGb) {

        public static final BigDecimal INTER_AZ_US_EAST_1 = new BigDecimal("0.01");
        /** Vended logs to CloudWatch Logs, Standard class, the first 10 TB of a month (us-east-1). */
        public static final BigDecimal FLOW_LOGS_US_EAST_1 = new BigDecimal("0.5");
        /** The same in the Infrequent Access class. */
        public static final BigDecimal FLOW_LOGS_IA_US_EAST_1 = new BigDecimal("0.25");
        /** Logs Insights, per GB scanned. */
        public static final BigDecimal INSIGHTS_US_EAST_1 = new BigDecimal("0.005");

        public static final Prices US_EAST_1 = new Prices(
                new BigDecimal("0.045"),
                new BigDecimal("0.01"),
                new BigDecimal("0.01"),
                INTER_AZ_US_EAST_1,
                FLOW_LOGS_US_EAST_1,
                FLOW_LOGS_IA_US_EAST_1,
                INSIGHTS_US_EAST_1);

        public Prices {
            interAzPerGb = interAzPerGb == null ? INTER_AZ_US_EAST_1 : interAzPerGb;
            flowLogsPerGb = flowLogsPerGb == null ? FLOW_LOGS_US_EAST_1 : flowLogsPerGb;
            flowLogsInfrequentAccessPerGb =
                    flowLogsInfrequentAccessPerGb == null ? FLOW_LOGS_IA_US_EAST_1 : flowLogsInfrequentAccessPerGb;
            insightsPerGb = insightsPerGb == null ? INSIGHTS_US_EAST_1 : insightsPerGb;
        }

        /** What a GB of flow log records costs delivered to a group of this class. */
        public BigDecimal flowLogsPerGb(String logGroupClass) {
            return "INFREQUENT_ACCESS".equals(logGroupClass) ? flowLogsInfrequentAccessPerGb : flowLogsPerGb;
        }
    }

    /**
     * How Logs Insights reads a recording.
     *
     * @param above a recording is read by Insights when its log group received more records than this in the
     *     recording's window (AWS/Logs IncomingLogEvents); streaming reads about 10,000 a second at 4 calls a second
     * @param maxQueries queries one report may run (each scans the whole window of the group, at $0.005 a GB)
     * @param concurrent queries run at once per account and region (AWS allows 30, or 100 in newer documents)
     * @param poll how often a running query is asked for its results
     */
    public record Insights(
            @DefaultValue("1000000") @Min(0) long above,
            @DefaultValue("60") @Min(9) @Max(1000) int maxQueries,
            @DefaultValue("10") @Min(1) @Max(30) int concurrent,
            @DefaultValue("1s") @NotNull @DurationMin(millis = 10) @DurationMax(minutes = 1) Duration poll) {

        public static final Insights DEFAULTS = new Insights(1_000_000, 60, 10, Duration.ofSeconds(1));
    }

    /**
     * The flow log reconciler: finds the recorder's flow logs in AWS and deletes those that should not exist.
     *
     * @param interval how often it runs (and once at start-up), on one replica at a time
     */
    public record Reconciler(
            @DefaultValue("5m") @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 6) Duration interval) {}

    /**
     * The permission preflight (every account and region's permissions, tried as dry runs and reads).
     *
     * @param startDelay how long after start-up its first run waits once the watched gateways are known: the spikes
     *     that queued while the recorder was down come first
     */
    public record Preflight(@DefaultValue("10s") @NotNull @DurationMax(minutes = 10) Duration startDelay) {}

    /**
     * How AWS is called.
     *
     * @param maxAttempts attempts per call (the SDK's standard strategy: exponential backoff with jitter on throttling,
     *     5xx and timeouts)
     * @param ec2 client-side token buckets per EC2 action, as EC2 throttles (aws-facts: 50 and 5/s for mutating
     *     actions, 100 and 20/s for describes); every attempt takes a token
     * @param cloudwatch calls a second of CloudWatch's alarm actions, under CloudWatch's quotas per account and region
     */
    public record Aws(
            @DefaultValue("5") @Min(1) @Max(20) int maxAttempts,
            @DefaultValue @Valid Ec2Limits ec2,
            @DefaultValue @Valid CloudWatchLimits cloudwatch) {}

    public record Ec2Limits(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("50") @Min(1) int mutatingBucket,
            @DefaultValue("5") @Min(1) int mutatingPerSecond,
            @DefaultValue("100") @Min(1) int describeBucket,
            @DefaultValue("20") @Min(1) int describePerSecond) {}

    /**
     * How fast the recorder calls CloudWatch's alarm actions in one account and region: at most one call at a time
     * spaced evenly, every attempt taking its turn. CloudWatch's quotas ("CloudWatch service quotas"): PutMetricAlarm 3
     * a second and DescribeAlarms 9, both adjustable, and DeleteAlarms 3, which is not. The quota is the account's:
     * other tools that put alarms there share it.
     *
     * @param putMetricAlarmPerSecond raise it after a quota increase, lower it to leave room for other tools
     * @param describeAlarmsPerSecond the same for DescribeAlarms
     */
    public record CloudWatchLimits(
            @DefaultValue("3") @Min(1) @Max(1000) int putMetricAlarmPerSecond,
            @DefaultValue("9") @Min(1) @Max(1000) int describeAlarmsPerSecond) {

        /** DeleteAlarms: 3 a second, a quota AWS does not raise. */
        public static final int DELETE_ALARMS_PER_SECOND = 3;
    }

    /**
     * Who may use the console and every endpoint that is not a health probe.
     *
     * @param users who may log in; none: one operator with a password generated at start-up and printed in the log
     * @param openPrometheus whether {@code /actuator/prometheus} answers without credentials (for scrapers)
     */
    public record Console(List<@Valid @NotNull User> users, @DefaultValue("true") boolean openPrometheus) {

        public Console {
            users = users == null ? List.of() : List.copyOf(users);
            for (int i = 0; i < users.size(); i++) {
                if (!User.BCRYPT.matcher(users.get(i).password()).matches()) {
                    throw new IllegalArgumentException("recorder.console.users[" + i
                            + "].password must be a bcrypt hash ({bcrypt}$2a$... or $2a$...), never the password"
                            + " itself: htpasswd -nbBC 12 '' 'the password' | cut -c2- makes one");
                }
            }
            if (users.stream().map(User::name).distinct().count() != users.size()) {
                throw new IllegalArgumentException("recorder.console.users lists a name twice");
            }
        }
    }

    /**
     * One console user.
     *
     * @param password a bcrypt hash (from configuration, or an environment variable such as
     *     {@code RECORDER_CONSOLE_USERS_0_PASSWORD} filled from a Secret)
     * @param role {@code viewer} reads; {@code operator} also starts and stops recordings, resends notifications and
     *     runs the preflight
     */
    public record User(
            @NotBlank @Pattern(regexp = "[\\w.@+-]{1,64}", message = "must be 1 to 64 letters, digits or _.@+-")
                    String name,
            @NotBlank String password,
            @DefaultValue("viewer") Role role) {

        static final java.util.regex.Pattern BCRYPT =
                java.util.regex.Pattern.compile("(\\{bcrypt})?\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");

        public enum Role {
            VIEWER,
            OPERATOR
        }
    }

    /** How the queue is consumed. */
    public record Intake(
            @DefaultValue("10") @Min(1) @Max(100) int maxConcurrentMessages,
            @DefaultValue("2s") @NotNull @DurationMin(seconds = 1) Duration firstRetryDelay,
            @DefaultValue("5m") @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 12) Duration maxRetryDelay,
            @DefaultValue("10s") @NotNull @DurationMin(seconds = 1) @DurationMax(seconds = 20) Duration pollTimeout) {}
}
