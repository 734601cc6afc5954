package dev.vpcflowlogs.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/recorder-member.yaml, and the central template's side of an organization: the member role allows exactly
 * what the recorder calls through it, trusts only the recorder's role, and the alarms' events reach the queue only
 * from the organization.
 */
class MemberTemplateTest {

    static final Path MEMBER = Path.of("deploy/recorder-member.yaml");
    /** What the recorder calls with the recorder's own credentials only: its queue, its topic, STS, their keys. */
    static final Set<String> CENTRAL_ONLY = Set.of("sqs", "sns", "sts", "kms");

    static Map<String, Object> member;
    static Map<String, Object> central;

    @BeforeAll
    static void load() throws Exception {
        member = CloudFormationTemplate.load(MEMBER);
        CloudFormationTemplateTest.load();
        central = CloudFormationTemplateTest.template;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> template, String resource) {
        return (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get(resource))
                        .get("Properties");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> memberStatements() {
        return (List<Map<String, Object>>)
                ((Map<String, Object>) properties(member, "MemberPolicy").get("PolicyDocument")).get("Statement");
    }

    /** The calls the recorder makes in a member account: every AWS call of the code but those of the centre. */
    static Set<String> callsThroughTheMemberRole() {
        Set<String> needed = CloudFormationTemplateTest.actionsTheCodeCalls().stream()
                .filter(a -> !CENTRAL_ONLY.contains(a.substring(0, a.indexOf(':'))))
                .collect(Collectors.toCollection(TreeSet::new));
        Set.copyOf(needed).forEach(a -> needed.addAll(CloudFormationTemplateTest.IMPLIED.getOrDefault(a, Set.of())));
        return needed;
    }

    @Test
    void theMemberRoleAllowsExactlyWhatTheRecorderCallsThroughIt() {
        Set<String> needed = callsThroughTheMemberRole();
        Set<String> allowed = memberStatements().stream()
                .flatMap(s -> CloudFormationTemplateTest.actionsOf(s).stream())
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(needed).contains("ec2:CreateFlowLogs", "ec2:DeleteFlowLogs", "cloudwatch:PutMetricAlarm");
        assertThat(allowed).containsAll(needed);
        assertThat(allowed)
                .filteredOn(a -> !CloudFormationTemplateTest.isRead(a))
                .allMatch(needed::contains, "a write the recorder makes");
        assertThat(allowed).noneMatch(a -> a.contains("*") || CENTRAL_ONLY.contains(a.substring(0, a.indexOf(':'))));
        for (Map<String, Object> statement : memberStatements()) {
            Collection<String> actions = CloudFormationTemplateTest.actionsOf(statement);
            String conditions = String.valueOf(statement.get("Condition"));
            if ("*".equals(statement.get("Resource"))) {
                assertThat(actions)
                        .allMatch(CloudFormationTemplateTest::readOrNoResource, "reads (or no-resource actions) on *");
            }
            if (actions.contains("ec2:CreateFlowLogs")
                    && String.valueOf(statement.get("Resource")).contains("vpc-flow-log")) {
                assertThat(conditions).contains("aws:RequestTag/managed-by=vpc-flowlogs-recorder");
            }
            if (actions.contains("ec2:DeleteFlowLogs")) {
                assertThat(conditions).contains("aws:ResourceTag/managed-by=vpc-flowlogs-recorder");
            }
            if (actions.contains("ec2:CreateTags")) {
                assertThat(conditions).contains("ec2:CreateAction=CreateFlowLogs");
            }
            if (actions.contains("iam:PassRole")) {
                assertThat(conditions).contains("iam:PassedToService=vpc-flow-logs.amazonaws.com");
            }
            if (actions.equals(List.of("logs:DescribeLogGroups"))) {
                assertThat(String.valueOf(statement.get("Resource"))).contains(":${AWS::Region}:", "log-group:*");
            } else if (actions.stream().allMatch(CloudFormationTemplateTest.NO_RESOURCE::contains)) {
                assertThat(statement.get("Resource")).isEqualTo("*");
            } else if (actions.stream().anyMatch(a -> a.startsWith("logs:"))) {
                assertThat(String.valueOf(statement.get("Resource")))
                        .contains("log-group:${LogGroupName}]", "log-group:${LogGroupName}:*]");
            }
            // Each stack instance's role acts in its own region only (IAM is global: its delivery role is its
            // region's).
            assertThat(String.valueOf(statement.get("Resource")) + conditions)
                    .as("%s", actions)
                    .containsAnyOf("${AWS::Region}", "aws:RequestedRegion", "DeliveryRole.Arn");
        }
    }

    @Test
    void theMemberRoleTrustsOnlyTheRecordersRoleWithItsExternalIdAndTheRecorderMayAssumeIt() {
        String trust = String.valueOf(properties(member, "MemberRole").get("AssumeRolePolicyDocument"));

        assertThat(trust)
                .contains("Principal={AWS=Intrinsic[function=Ref, argument=RecorderRoleArn]}")
                .contains("sts:AssumeRole")
                .contains("sts:ExternalId=Intrinsic[function=Ref, argument=ExternalId]")
                .doesNotContain("Service");
        assertThat(properties(member, "MemberRole"))
                .containsEntry(
                        "RoleName", new CloudFormationTemplate.Intrinsic("Sub", "${MemberRoleName}-${AWS::Region}"));
        assertThat(CloudFormationTemplateTest.recorderStatements()).anySatisfy(s -> {
            assertThat(CloudFormationTemplateTest.actionsOf(s)).containsExactly("sts:AssumeRole");
            assertThat(String.valueOf(s.get("Resource"))).contains(":role/${MemberRoleName}-*");
        });
    }

    @Test
    void alarmsTravelToTheCentralBusWhichAdmitsOnlyTheOrganizationAndOnToTheQueue() {
        Map<String, Object> forward = properties(member, "ForwardRule");
        String target = String.valueOf(forward.get("Targets"));
        assertThat(target)
                .contains("Arn=Intrinsic[function=Ref, argument=CentralEventBusArn]", "DeadLetterConfig")
                .contains("RoleArn=Intrinsic[function=GetAtt, argument=ForwardRole.Arn]");
        assertThat(String.valueOf(properties(member, "ForwardRole")))
                .contains("events:PutEvents", "CentralEventBusArn");

        assertThat(String.valueOf(properties(central, "CentralEventBusPolicy")))
                .contains("events:PutEvents", "aws:PrincipalOrgID=Intrinsic[function=Ref, argument=OrganizationId]");
        Map<String, Object> rule = properties(central, "OrganizationAlarmStateChangeRule");
        assertThat(rule.get("EventBusName")).isEqualTo(new CloudFormationTemplate.Intrinsic("Ref", "CentralEventBus"));
        assertThat(String.valueOf(rule.get("Targets"))).contains("EventQueue.Arn", "EventsDeadLetterQueue.Arn");
        assertThat(String.valueOf(properties(central, "EventQueuePolicy")))
                .contains("OrganizationAlarmStateChangeRule.Arn");
    }

    @Test
    void everyReferenceOfTheMemberTemplateResolves() {
        assertThat(CloudFormationTemplateTest.unresolved(member)).isEmpty();
    }
}
