package dev.vpcflowlogs.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
    static final Map<String, String> IAM_PREFIX =
            Map.of("ec2", "ec2", "cloudwatchlogs", "logs", "sns", "sns", "sqs", "sqs", "cloudwatch", "cloudwatch");

    /** Calls Spring Cloud AWS's listener container makes for the recorder (batch calls need the plain action). */
    static final Set<String> LIBRARY_CALLS =
            Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl");

    /** Permissions an operation needs besides its own action, as AWS documents them. */
    static final Map<String, Set<String>> IMPLIED = Map.of(
            "ec2:CreateFlowLogs", Set.of("ec2:CreateTags", "iam:PassRole"),
            "logs:CreateLogGroup", Set.of("logs:TagResource"),
            "cloudwatch:PutMetricAlarm", Set.of("cloudwatch:TagResource"));

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
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vpcflowlogs.recorder");
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
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vpcflowlogs.recorder");
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
        return actions;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> recorderStatements() {
        Map<String, Object> policy =
                (Map<String, Object>) ((Map<String, Object>) resources().get("RecorderPolicy")).get("Properties");
        return (List<Map<String, Object>>) ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement");
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
        codeActions.forEach(a -> needed.addAll(IMPLIED.getOrDefault(a, Set.of())));

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
            Matcher m = Pattern.compile(":ec2:\\$\\{AWS::Region}:\\$\\{AWS::AccountId}:([a-z-]+)/\\*")
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
        codeActions.forEach(a -> needed.addAll(IMPLIED.getOrDefault(a, Set.of())));
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
                assertThat(actions).allMatch(CloudFormationTemplateTest::isRead, "reads only on *");
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
                assertThat(statement.get("Resource")).isEqualTo(new Intrinsic("GetAtt", "DeliveryRole.Arn"));
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRefGetAttSubAndConditionResolves() {
        Set<String> parameters = ((Map<String, Object>) template.get("Parameters")).keySet();
        Set<String> conditions = ((Map<String, Object>) template.get("Conditions")).keySet();
        Set<String> resources = resources().keySet();
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
        for (Object resource : resources().values()) {
            Object condition = ((Map<String, Object>) resource).get("Condition");
            if (condition != null && !conditions.contains((String) condition)) {
                unresolved.add("Condition: " + condition);
            }
        }
        assertThat(unresolved).isEmpty();
        assertThat(resources)
                .contains(
                        "EventQueue",
                        "DeadLetterQueue",
                        "AlarmStateChangeRule",
                        "EventQueuePolicy",
                        "FlowLogGroup",
                        "DeliveryRole",
                        "NotificationTopic",
                        "RecorderRole",
                        "RecorderPolicy",
                        "TaskDefinition",
                        "Service");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLogGroupOutlivesTheStackAndTheQueueAdmitsOnlyItsRulesOverTls() {
        Map<String, Object> logGroup = (Map<String, Object>) resources().get("FlowLogGroup");
        assertThat(logGroup).containsEntry("DeletionPolicy", "Retain");
        String queuePolicy = String.valueOf(resources().get("EventQueuePolicy"));
        assertThat(queuePolicy)
                .contains("aws:SourceArn=[Intrinsic[function=GetAtt, argument=AlarmStateChangeRule.Arn]")
                .contains("aws:SecureTransport=false");
        String deliveryTrust = String.valueOf(resources().get("DeliveryRole"));
        assertThat(deliveryTrust).contains("vpc-flow-logs.amazonaws.com", "aws:SourceAccount");
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
