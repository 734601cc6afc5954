package dev.vpcflowlogs.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import dev.vpcflowlogs.packaging.CloudFormationTemplate.Intrinsic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/recorder-aws.yaml: every reference resolves, and the recorder's role is exactly as wide as the code. */
class CloudFormationTemplateTest {

    static final Path TEMPLATE = Path.of("deploy/recorder-aws.yaml");

    /** Client package to IAM service prefix. */
    static final Map<String, String> IAM_PREFIX = Map.of(
            "ec2",
            "ec2",
            "cloudwatchlogs",
            "logs",
            "sns",
            "sns",
            "sqs",
            "sqs",
            "cloudwatch",
            "cloudwatch",
            "sts",
            "sts");

    /** Calls that need no permission: "No permissions are required to perform this operation" (STS API reference). */
    static final Set<String> NO_PERMISSION_NEEDED = Set.of("sts:GetCallerIdentity");

    /** Calls Spring Cloud AWS's listener container makes for the recorder (batch calls need the plain action). */
    static final Set<String> LIBRARY_CALLS = Set.of(
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:ChangeMessageVisibility",
            "sqs:GetQueueUrl",
            // The SDK's StsAssumeRoleCredentialsProvider, for the member accounts.
            "sts:AssumeRole");

    /** Permissions an operation needs besides its own action, as AWS documents them. */
    static final Map<String, Set<String>> IMPLIED = Map.of(
            "ec2:CreateFlowLogs", Set.of("ec2:CreateTags", "iam:PassRole"),
            "logs:CreateLogGroup", Set.of("logs:TagResource"),
            "cloudwatch:PutMetricAlarm", Set.of("cloudwatch:TagResource"),
            // With a customer-managed key on the queue and the topic (SQS and SNS developer guides, key management).
            "sns:Publish", Set.of("kms:GenerateDataKey", "kms:Decrypt"),
            "sqs:ReceiveMessage", Set.of("kms:Decrypt"));

    /**
     * The log group's ARN as the recorder's statements must spell it: bare, and with ":*", in any of its regions (the
     * policy's one Deny statement keeps every regional action to this region and {@code Regions}).
     */
    static final String LOG_GROUP_ARN = "arn:${AWS::Partition}:logs:*:${AWS::AccountId}:log-group:${LogGroupName}";

    /**
     * CreateFlowLogs resource types to the IAM resource type the call is authorized on (Service Authorization
     * Reference, Amazon EC2: network-interface, natgateway). Our reading for RegionalNatGateway; see the README.
     */
    static final Map<String, String> IAM_RESOURCE_OF_FLOW_LOG_TARGET =
            Map.of("NETWORK_INTERFACE", "network-interface", "REGIONAL_NAT_GATEWAY", "natgateway");

    static Map<String, Object> template;
    static Set<String> codeActions;
    static Set<String> flowLogTargets;

    @BeforeAll
    static void load() throws Exception {
        template = CloudFormationTemplate.load(TEMPLATE);
        codeActions = actionsTheCodeCalls();
        flowLogTargets = flowLogTargetsTheCodeUses();
    }

    /** The {@code FlowLogsResourceType} constants the production code reads, from the bytecode. */
    static Set<String> flowLogTargetsTheCodeUses() {
        JavaClasses classes = dev.vpcflowlogs.recorder.ProductionClasses.get();
        Set<String> used = new TreeSet<>();
        for (var javaClass : classes) {
            javaClass.getFieldAccessesFromSelf().stream()
                    .filter(a -> a.getTargetOwner()
                            .getName()
                            .equals("software.amazon.awssdk.services.ec2.model.FlowLogsResourceType"))
                    .forEach(a -> used.add(a.getTarget().getName()));
        }
        return used;
    }

    /** Every AWS SDK client operation the production code calls, as an IAM action, read from the bytecode. */
    static Set<String> actionsTheCodeCalls() {
        JavaClasses classes = dev.vpcflowlogs.recorder.ProductionClasses.get();
        Set<String> actions = new TreeSet<>();
        for (var javaClass : classes) {
            for (JavaMethodCall call : javaClass.getMethodCallsFromSelf()) {
                String owner = call.getTargetOwner().getName();
                Matcher m = Pattern.compile("software\\.amazon\\.awssdk\\.services\\.(\\w+)\\.\\w+Client")
                        .matcher(owner);
                if (!m.matches()) {
                    continue;
                }
                String method = call.getName().replace("Paginator", "");
                if (Set.of(
                                "builder",
                                "create",
                                "close",
                                "serviceName",
                                "serviceClientConfiguration",
                                "utilities",
                                "waiter")
                        .contains(method)) {
                    continue;
                }
                actions.add(IAM_PREFIX.get(m.group(1)) + ":" + Character.toUpperCase(method.charAt(0))
                        + method.substring(1));
            }
        }
        actions.removeAll(NO_PERMISSION_NEEDED);
        return actions;
    }

    /**
     * The recorder policy's Allow statements, those under a condition ({@code !If [c, statement, NoValue]}) included:
     * the test holds the widest the role can be.
     */
    static List<Map<String, Object>> recorderStatements() {
        return allRecorderStatements().stream()
                .filter(st -> "Allow".equals(st.get("Effect")))
                .toList();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> allRecorderStatements() {
        Map<String, Object> policy =
                (Map<String, Object>) ((Map<String, Object>) resources().get("RecorderPolicy")).get("Properties");
        List<Object> statements = (List<Object>) ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement");
        return statements.stream()
                .map(CloudFormationTemplateTest::whenTrue)
                .map(st -> (Map<String, Object>) st)
                .toList();
    }

    /** An {@code !If}'s branch for a condition that holds; anything else as it is. */
    @SuppressWarnings("unchecked")
    static Object whenTrue(Object node) {
        return node instanceof Intrinsic i && i.function().equals("If")
                ? whenTrue(((List<Object>) i.argument()).get(1))
                : node;
    }

    /** An {@code !If}'s branch for a condition that does not hold. */
    @SuppressWarnings("unchecked")
    static Object whenFalse(Object node) {
        return node instanceof Intrinsic i && i.function().equals("If") ? ((List<Object>) i.argument()).get(2) : node;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(String resource) {
        return (Map<String, Object>) ((Map<String, Object>) resources().get(resource)).get("Properties");
    }

    /** A statement's resources, each as text ({@code Intrinsic[function=Sub, argument=arn:...]}). */
    static List<String> resourcesOf(Map<String, Object> statement) {
        Object resource = statement.get("Resource");
        return resource instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(resource));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> resources() {
        return (Map<String, Object>) template.get("Resources");
    }

    @SuppressWarnings("unchecked")
    static Collection<String> actionsOf(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? (List<String>) list : List.of((String) action);
    }

    /**
     * Actions AWS authorizes on no resource, so granted on "*" although they are not reads: stopping a Logs Insights
     * query the recorder started, by its id (Service Authorization Reference; StopQuery is denied on a log group's
     * ARN, a field report).
     */
    static final Set<String> NO_RESOURCE = Set.of("logs:StopQuery", "logs:GetQueryResults");

    static boolean readOrNoResource(String action) {
        return isRead(action) || NO_RESOURCE.contains(action);
    }

    static boolean isRead(String action) {
        String name = action.substring(action.indexOf(':') + 1);
        return name.startsWith("Describe")
                || name.startsWith("Get")
                || name.startsWith("List")
                || name.startsWith("Filter")
                || name.equals("ReceiveMessage");
    }

    @Test
    void theCodeCallsWhatTheRecorderDoes() {
        // A guard on the derivation itself: if this changes, the role below must follow.
        assertThat(codeActions)
                .contains(
                        "ec2:CreateFlowLogs",
                        "ec2:DeleteFlowLogs",
                        "ec2:DescribeNatGateways",
                        "logs:CreateLogGroup",
                        "logs:FilterLogEvents",
                        "sns:Publish",
                        "sqs:GetQueueAttributes",
                        "cloudwatch:PutMetricAlarm",
                        "cloudwatch:DeleteAlarms");
    }

    @Test
    void theRecorderRoleAllowsEveryOperationTheCodeCalls() {
        Set<String> allowed = recorderStatements().stream()
                .filter(s -> "Allow".equals(s.get("Effect")))
                .flatMap(s -> actionsOf(s).stream())
                .collect(Collectors.toSet());
        Set<String> needed = new TreeSet<>(codeActions);
        needed.addAll(LIBRARY_CALLS);
        Set.copyOf(needed).forEach(a -> needed.addAll(IMPLIED.getOrDefault(a, Set.of())));

        assertThat(allowed).containsAll(needed);
    }

    @Test
    void createFlowLogsIsAllowedOnExactlyTheResourcesTheCodeRecords() {
        assertThat(flowLogTargets)
                .as("a guard on the derivation: zonal and regional gateways")
                .containsExactlyInAnyOrder("NETWORK_INTERFACE", "REGIONAL_NAT_GATEWAY");
        Set<String> expected = flowLogTargets.stream()
                .map(IAM_RESOURCE_OF_FLOW_LOG_TARGET::get)
                .collect(Collectors.toCollection(TreeSet::new));
        expected.add("vpc-flow-log"); // the flow log itself, bound to the recorder's tag
        Set<String> allowed = new TreeSet<>();
        for (Map<String, Object> statement : recorderStatements()) {
            if (!actionsOf(statement).contains("ec2:CreateFlowLogs")) {
                continue;
            }
            Matcher m = Pattern.compile(":ec2:\\*:\\$\\{AWS::AccountId}:([a-z-]+)/\\*")
                    .matcher(String.valueOf(statement.get("Resource")));
            while (m.find()) {
                allowed.add(m.group(1));
            }
        }

        assertThat(allowed).isEqualTo(expected);
    }

    @Test
    void theRecorderRoleAllowsNoWriteTheCodeDoesNotCall() {
        Set<String> needed = new TreeSet<>(codeActions);
        needed.addAll(LIBRARY_CALLS);
        Set.copyOf(needed).forEach(a -> needed.addAll(IMPLIED.getOrDefault(a, Set.of())));
        Set<String> writes = recorderStatements().stream()
                .flatMap(s -> actionsOf(s).stream())
                .filter(a -> !isRead(a))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(writes).allMatch(needed::contains, "called by the code");
        assertThat(recorderStatements())
                .allSatisfy(s -> assertThat(actionsOf(s)).noneMatch(a -> a.contains("*")));
    }

    @Test
    void writesOnFlowLogsAreBoundToTheRecordersTagAndOnlyReadsUseAWildcardResource() {
        for (Map<String, Object> statement : recorderStatements()) {
            Collection<String> actions = actionsOf(statement);
            String conditions = String.valueOf(statement.get("Condition"));
            if ("*".equals(statement.get("Resource"))) {
                assertThat(actions)
                        .allMatch(CloudFormationTemplateTest::readOrNoResource, "reads (or no-resource actions) on *");
            }
            String resource = String.valueOf(statement.get("Resource"));
            if (actions.contains("ec2:CreateFlowLogs") && resource.contains("vpc-flow-log")) {
                assertThat(conditions).contains("aws:RequestTag/managed-by=vpc-flowlogs-recorder");
            }
            if (actions.contains("ec2:DeleteFlowLogs")) {
                assertThat(conditions).contains("aws:ResourceTag/managed-by=vpc-flowlogs-recorder");
            }
            if (actions.contains("ec2:CreateTags")) {
                assertThat(conditions).contains("ec2:CreateAction=CreateFlowLogs");
            }
            if (actions.stream().anyMatch(a -> a.startsWith("cloudwatch:") && !isRead(a))) {
                assertThat(resource)
                        .as("alarm writes only on the recorder's alarm-name prefix")
                        .contains("alarm:${AlarmNamePrefix}*");
            }
            if (actions.contains("iam:PassRole")) {
                assertThat(conditions).contains("iam:PassedToService=vpc-flow-logs.amazonaws.com");
                // The stack's own delivery role, and the member stacks' of this account (one per region).
                assertThat(resourcesOf(statement))
                        .hasSize(2)
                        .first()
                        .isEqualTo("Intrinsic[function=GetAtt, argument=DeliveryRole.Arn]");
                assertThat(String.valueOf(whenTrue(((List<?>) statement.get("Resource")).get(1))))
                        .contains(":iam::${AWS::AccountId}:role/${DeliveryRoleName}-*");
            }
        }
    }

    @Test
    void everyActionIsAllowedOnTheResourcesAwsAuthorizesItOn() {
        for (Map<String, Object> statement : recorderStatements()) {
            List<String> resources = resourcesOf(statement);
            for (String action : actionsOf(statement)) {
                if (NO_RESOURCE.contains(action)) {
                    assertThat(resources).as(action).containsExactly("*");
                } else if (action.equals("logs:DescribeLogGroups")) {
                    // Authorized on the account's groups as a whole (log-group:*).
                    assertThat(resources)
                            .singleElement()
                            .asString()
                            .contains("arn:${AWS::Partition}:logs:*:${AWS::AccountId}:log-group:*");
                } else if (action.startsWith("logs:")) {
                    // Service Authorization Reference, CloudWatch Logs: TagResource and CreateLogGroup on the
                    // log-group ARN without ":*"; the reads on the ARN with it.
                    assertThat(resources)
                            .as(action + " on the bare log group ARN")
                            .contains("Intrinsic[function=Sub, argument=" + LOG_GROUP_ARN + "]");
                    assertThat(resources)
                            .as(action + " on the log group ARN with :*")
                            .contains("Intrinsic[function=Sub, argument=" + LOG_GROUP_ARN + ":*]");
                    assertThat(resources).noneMatch(r -> r.contains("FlowLogGroup.Arn"));
                }
                String expected =
                        switch (action) {
                            case "ec2:DeleteFlowLogs", "ec2:CreateTags" -> ":vpc-flow-log/*";
                            case "sns:Publish" -> "Intrinsic[function=Ref, argument=NotificationTopic]";
                            case "iam:PassRole" -> "DeliveryRole";
                            case "kms:Decrypt", "kms:GenerateDataKey" -> "Intrinsic[function=Ref, argument=KmsKeyArn]";
                            default -> action.startsWith("sqs:") ? "EventQueue.Arn" : null;
                        };
                if (expected != null && action.equals("iam:PassRole")) {
                    assertThat(resources).as(action).first().asString().contains(expected);
                } else if (expected != null) {
                    assertThat(resources).as(action).singleElement().asString().contains(expected);
                }
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRoleTrustsExactlyTheRuntimeItIsDeployedFor() {
        Object trust = properties("RecorderRole").get("AssumeRolePolicyDocument");
        String irsa = String.valueOf(whenTrue(trust));
        Object notIrsa = whenFalse(trust);
        String podIdentity = String.valueOf(whenTrue(notIrsa));
        String ecs = String.valueOf(whenFalse(notIrsa));

        assertThat(irsa)
                .contains(
                        "sts:AssumeRoleWithWebIdentity", ":sub", "system:serviceaccount:${Namespace}:${Name}", ":aud");
        assertThat(podIdentity)
                .contains("pods.eks.amazonaws.com", "sts:AssumeRole", "sts:TagSession", "aws:SourceAccount");
        assertThat(ecs).contains("ecs-tasks.amazonaws.com", "aws:SourceAccount").doesNotContain("pods.eks");
        assertThat(String.valueOf(((Map<String, Object>) template.get("Outputs")).get("RecorderPolicyArn")))
                .contains("Ref, argument=RecorderPolicy");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theEcsTaskKeepsItsPasswordSecretStopsGracefullyAndRollsBackAFailedDeployment() {
        Map<String, Object> parameters = (Map<String, Object>) template.get("Parameters");
        assertThat((Map<String, Object>) parameters.get("DatabasePassword")).containsEntry("NoEcho", true);
        Map<String, Object> container =
                ((List<Map<String, Object>>) properties("TaskDefinition").get("ContainerDefinitions")).get(0);

        assertThat(String.valueOf(container.get("Environment")))
                .doesNotContain("PASSWORD")
                .doesNotContain("DatabasePassword");
        assertThat(String.valueOf(container.get("Secrets")))
                .contains("SPRING_DATASOURCE_PASSWORD", "ValueFrom", "DatabasePasswordSecret")
                // The console's password hashes come from Secrets Manager too, never the task definition.
                .contains("RECORDER_CONSOLE_USERS_0_PASSWORD", "ConsoleOperatorHashSecretArn")
                .contains("RECORDER_CONSOLE_USERS_1_PASSWORD", "ConsoleViewerHashSecretArn");
        assertThat((Integer) container.get("StopTimeout")).isBetween(90, 120);
        assertThat(String.valueOf(((Map<String, Object>) container.get("HealthCheck")).get("Command")))
                .contains("/actuator/health/liveness");
        Map<String, Object> deployment =
                (Map<String, Object>) properties("Service").get("DeploymentConfiguration");
        assertThat(String.valueOf(deployment.get("DeploymentCircuitBreaker"))).contains("Enable=true", "Rollback=true");
        // H2 on EFS: never two tasks at once; PostgreSQL: a rolling update.
        assertThat(whenTrue(deployment.get("MinimumHealthyPercent"))).isEqualTo(0);
        assertThat(whenTrue(deployment.get("MaximumPercent"))).isEqualTo(100);
        assertThat(whenFalse(deployment.get("MaximumPercent"))).isEqualTo(200);
        assertThat(String.valueOf(
                        ((Map<String, Object>) template.get("Rules")).get("EcsNeedsAStoreThatOutlivesTheTask")))
                .contains("DatabaseUrl", "EfsFileSystemId");
        String executionRole = String.valueOf(resources().get("TaskExecutionRole"));
        assertThat(executionRole)
                .contains(
                        "secretsmanager:GetSecretValue", "ConsoleOperatorHashSecretArn", "ConsoleViewerHashSecretArn");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theQueueOutlastsAQuarterHourOutageAndNoEventIsDroppedUnseen() {
        Map<String, Object> redrive =
                (Map<String, Object>) properties("EventQueue").get("RedrivePolicy");
        int receives = (Integer) redrive.get("maxReceiveCount");
        var intake = dev.vpcflowlogs.recorder.TestProperties.defaults().intake();

        java.time.Duration survives = new dev.vpcflowlogs.recorder.intake.OutageTolerance(
                        receives, intake.firstRetryDelay(), intake.maxRetryDelay())
                .survives();

        assertThat(survives).isGreaterThanOrEqualTo(java.time.Duration.ofMinutes(15));
        for (String rule : List.of("AlarmStateChangeRule", "NamedAlarmStateChangeRule")) {
            Map<String, Object> target =
                    ((List<Map<String, Object>>) properties(rule).get("Targets")).get(0);
            assertThat(String.valueOf(target.get("DeadLetterConfig"))).as(rule).contains("EventsDeadLetterQueue.Arn");
            assertThat(String.valueOf(target.get("RetryPolicy"))).as(rule).contains("MaximumRetryAttempts");
        }
        for (var queue : Map.of(
                        "DeadLetterQueueAlarm", "DeadLetterQueue.QueueName",
                        "UndeliveredEventsAlarm", "EventsDeadLetterQueue.QueueName")
                .entrySet()) {
            Map<String, Object> alarm = properties(queue.getKey());
            assertThat(String.valueOf(alarm.get("Dimensions"))).contains(queue.getValue());
            assertThat(alarm).containsEntry("MetricName", "ApproximateNumberOfMessagesVisible");
            assertThat(String.valueOf(alarm.get("AlarmActions"))).contains("OperationsTopic");
        }
    }

    @Test
    void everyRefGetAttSubAndConditionResolves() {
        assertThat(unresolved(template)).isEmpty();
        Set<String> resources = resources().keySet();
        assertThat(resources)
                .contains(
                        "EventQueue",
                        "DeadLetterQueue",
                        "AlarmStateChangeRule",
                        "EventQueuePolicy",
                        "DeliveryRole",
                        "NotificationTopic",
                        "RecorderRole",
                        "RecorderPolicy",
                        "TaskDefinition",
                        "Service");
    }

    @Test
    void theQueueAdmitsOnlyItsRulesOverTls() {
        String queuePolicy = String.valueOf(resources().get("EventQueuePolicy"));
        assertThat(queuePolicy)
                .contains("aws:SourceArn=[Intrinsic[function=GetAtt, argument=AlarmStateChangeRule.Arn]")
                .contains("aws:SecureTransport=false");
        String deliveryTrust = String.valueOf(resources().get("DeliveryRole"));
        assertThat(deliveryTrust).contains("vpc-flow-logs.amazonaws.com", "aws:SourceAccount");
    }

    /** Every Ref, GetAtt, Sub variable and condition of a template that names nothing in it. */
    @SuppressWarnings("unchecked")
    static List<String> unresolved(Map<String, Object> template) {
        Map<String, Object> templateResources = (Map<String, Object>) template.get("Resources");
        Set<String> parameters = ((Map<String, Object>) template.get("Parameters")).keySet();
        Set<String> conditions = ((Map<String, Object>) template.get("Conditions")).keySet();
        Set<String> resources = templateResources.keySet();
        List<String> unresolved = new ArrayList<>();
        walk(template, node -> {
            if (node instanceof Intrinsic i) {
                switch (i.function()) {
                    case "Ref" -> {
                        String name = (String) i.argument();
                        if (!name.startsWith("AWS::") && !parameters.contains(name) && !resources.contains(name)) {
                            unresolved.add("!Ref " + name);
                        }
                    }
                    case "GetAtt" -> {
                        String target = i.argument() instanceof List<?> l
                                ? (String) l.get(0)
                                : ((String) i.argument()).split("\\.")[0];
                        if (!resources.contains(target)) {
                            unresolved.add("!GetAtt " + i.argument());
                        }
                    }
                    case "Sub" -> {
                        String text = i.argument() instanceof List<?> l ? (String) l.get(0) : (String) i.argument();
                        Set<String> local = i.argument() instanceof List<?> l
                                ? ((Map<String, Object>) l.get(1)).keySet()
                                : Set.of();
                        Matcher m = Pattern.compile("\\$\\{([^!}][^}]*)}").matcher(text);
                        while (m.find()) {
                            String name = m.group(1).split("\\.")[0];
                            if (!name.startsWith("AWS::")
                                    && !local.contains(name)
                                    && !parameters.contains(name)
                                    && !resources.contains(name)) {
                                unresolved.add("!Sub ${" + m.group(1) + "}");
                            }
                        }
                    }
                    case "If" -> {
                        String condition = (String) ((List<Object>) i.argument()).get(0);
                        if (!conditions.contains(condition)) {
                            unresolved.add("!If " + condition);
                        }
                    }
                    case "Condition" -> {
                        if (!conditions.contains((String) i.argument())) {
                            unresolved.add("!Condition " + i.argument());
                        }
                    }
                    default -> {}
                }
            }
        });
        for (Object resource : templateResources.values()) {
            Object condition = ((Map<String, Object>) resource).get("Condition");
            if (condition != null && !conditions.contains((String) condition)) {
                unresolved.add("Condition: " + condition);
            }
        }
        return unresolved;
    }

    @SuppressWarnings("unchecked")
    static void walk(Object node, java.util.function.Consumer<Object> visitor) {
        visitor.accept(node);
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> walk(v, visitor));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> walk(v, visitor));
        } else if (node instanceof Intrinsic i) {
            walk(i.argument(), visitor);
        }
    }
}
