package dev.vpcflowlogs.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stacks as a platform team lays them out: the central stack in the recorder's home region, the member stack in
 * every account and region the recorder records in (a StackSet, the central account included), with each stack's
 * values computed for its account, region and parameters as CloudFormation would.
 */
class DeploymentTopologyTest {

    static final String HOME = "us-east-1";
    static final String OTHER = "eu-west-1";
    static final String RECORDER_ROLE = "arn:aws:iam::" + StackValues.ACCOUNT + ":role/recorder";
    static final String CENTRAL_BUS =
            "arn:aws:events:" + HOME + ":" + StackValues.ACCOUNT + ":event-bus/vpc-flowlogs-recorder";

    /** Properties that name a physical resource, which two stacks of one account and region must not share. */
    static final Set<String> NAMING_PROPERTIES =
            Set.of("RoleName", "QueueName", "TopicName", "LogGroupName", "AlarmName", "Name", "ClusterName", "Family");

    static Map<String, Object> central;
    static Map<String, Object> member;

    @BeforeAll
    static void load() throws Exception {
        central = CloudFormationTemplate.load(Path.of("deploy/recorder-aws.yaml"));
        member = CloudFormationTemplate.load(Path.of("deploy/recorder-member.yaml"));
    }

    static StackValues centralStack(String region, Map<String, String> parameters) {
        return new StackValues(central, region, parameters);
    }

    static StackValues memberStack(String region, String bus) {
        return new StackValues(member, region, Map.of("RecorderRoleArn", RECORDER_ROLE, "CentralEventBusArn", bus));
    }

    /** The physical names a stack gives its resources (IAM names are per account, the others per region). */
    @SuppressWarnings("unchecked")
    static List<String> physicalNames(Map<String, Object> template, StackValues stack) {
        List<String> names = new ArrayList<>();
        ((Map<String, Object>) template.get("Resources")).forEach((id, resource) -> {
            Map<String, Object> r = (Map<String, Object>) resource;
            if (!stack.made(id) || r.get("Properties") == null) {
                return;
            }
            ((Map<String, Object>) r.get("Properties")).forEach((property, value) -> {
                if (NAMING_PROPERTIES.contains(property)) {
                    names.add(r.get("Type") + " " + stack.value(value));
                }
            });
        });
        return names;
    }

    @Test
    void theMemberStackFitsBesideTheCentralStackInTheCentralAccount() {
        // The central account is a member like any other: its gateways' delivery role is the member stack's.
        StackValues centralStack = centralStack(HOME, Map.of("OrganizationId", "o-abcdefghij"));
        StackValues memberHere = memberStack(HOME, CENTRAL_BUS);
        StackValues memberThere = memberStack(OTHER, CENTRAL_BUS);

        List<String> centralNames = physicalNames(central, centralStack);
        assertThat(physicalNames(member, memberHere)).doesNotContainAnyElementsOf(centralNames);
        // IAM is global: the member stacks of two regions of one account must not share a role name either.
        assertThat(physicalNames(member, memberHere)).doesNotContainAnyElementsOf(physicalNames(member, memberThere));
        assertThat(centralStack.value(output(central, "DeliveryRoleArn")))
                .isEqualTo("arn:aws:iam::{account}:role/vpc-flowlogs-recorder-delivery-{region}");
        assertThat(memberHere.value(physicalName(member, "DeliveryRole")))
                .isEqualTo("vpc-flowlogs-recorder-delivery-" + HOME);
        // The stack's own delivery role stays: flow logs made with it before keep delivering.
        assertThat(String.valueOf(centralStack.value(CloudFormationTemplateTest.recorderStatements().stream()
                        .filter(st -> CloudFormationTemplateTest.actionsOf(st).contains("iam:PassRole"))
                        .findFirst()
                        .orElseThrow()
                        .get("Resource"))))
                .contains(
                        "DeliveryRole.Arn",
                        "arn:aws:iam::" + StackValues.ACCOUNT + ":role/vpc-flowlogs-recorder-delivery-*");
    }

    @Test
    @SuppressWarnings("unchecked")
    void noStackKeepsALogGroupOfAFixedNameSoEveryStackCanBeMadeAgain() {
        for (Map<String, Object> template : List.of(central, member)) {
            ((Map<String, Object>) template.get("Resources")).forEach((id, resource) -> {
                Map<String, Object> r = (Map<String, Object>) resource;
                if ("AWS::Logs::LogGroup".equals(r.get("Type"))) {
                    assertThat(r).as(id).doesNotContainKey("DeletionPolicy");
                    assertThat(String.valueOf(r.get("Properties"))).as(id).doesNotContain("LogGroupName}");
                }
            });
        }
        assertThat(String.valueOf(member.get("Resources"))).doesNotContain("AWS::Logs::LogGroup");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyStackInstanceOfTheMemberStackSetIsWhole() {
        assertThat((Map<String, Object>) member.get("Parameters")).doesNotContainKey("IamRegion");
        // In any region, any partition: the roles are made by every stack instance, named with its region.
        String orgBus = "arn:aws:events:" + HOME + ":222222222222:event-bus/vpc-flowlogs-recorder";
        for (String region : List.of(HOME, OTHER, "ap-southeast-5", "cn-north-1", "us-gov-west-1")) {
            StackValues stack = memberStack(region, orgBus);
            for (String role : List.of("MemberRole", "MemberPolicy", "DeliveryRole")) {
                assertThat(stack.made(role)).as(role + " in " + region).isTrue();
            }
            assertThat(stack.value(physicalName(member, "MemberRole")))
                    .isEqualTo("vpc-flowlogs-recorder-member-" + region);
            assertThat(stack.made("ForwardRule")).isTrue();
        }
    }

    @Test
    void anotherRegionsAlarmsReachTheQueueAndTheRecorderMayWorkThere() {
        StackValues centralStack = centralStack(HOME, Map.of("Regions", OTHER));
        String homeDefaultBus = String.valueOf(centralStack.value(output(central, "DefaultEventBusArn")));
        assertThat(homeDefaultBus)
                .isEqualTo("arn:aws:events:" + HOME + ":" + StackValues.ACCOUNT + ":event-bus/default");

        // The other region forwards to the home region's default bus, where the stack's rule takes them to the queue;
        // the home region's member stack forwards nothing (the rule already takes them from there).
        assertThat(memberStack(OTHER, homeDefaultBus).made("ForwardRule")).isTrue();
        assertThat(memberStack(HOME, homeDefaultBus).made("ForwardRule")).isFalse();
        assertThat(memberStack(HOME, CENTRAL_BUS).made("ForwardRule")).isFalse();

        Map<String, Object> deny = CloudFormationTemplateTest.allRecorderStatements().stream()
                .filter(s -> "Deny".equals(s.get("Effect")))
                .findFirst()
                .orElseThrow();
        assertThat(String.valueOf(centralStack.value(deny.get("Condition"))))
                .isEqualTo("{StringNotEquals={aws:RequestedRegion=[" + HOME + ", " + OTHER + "]}}");
        assertThat(String.valueOf(centralStack(HOME, Map.of()).value(deny.get("Condition"))))
                .isEqualTo("{StringNotEquals={aws:RequestedRegion=[" + HOME + "]}}");
        assertThat(CloudFormationTemplateTest.actionsOf(deny))
                .containsExactlyInAnyOrder("ec2:*", "logs:*", "cloudwatch:*");
        assertThat(environment(centralStack(HOME, Map.of("Regions", OTHER, "CreateEcsService", "true"))))
                .containsEntry("RECORDER_REGIONS", OTHER)
                .containsEntry(
                        "RECORDER_FLOWLOGS_DELIVERYROLEARN",
                        "arn:aws:iam::{account}:role/vpc-flowlogs-recorder-delivery-{region}")
                .containsEntry(
                        "RECORDER_MEMBERROLEARN", "arn:aws:iam::{account}:role/vpc-flowlogs-recorder-member-{region}")
                .containsEntry("RECORDER_ALARMS_NAMEPREFIX", "vpc-flowlogs-recorder-")
                .containsEntry("RECORDER_FLOWLOGS_RETENTIONDAYS", "7");
    }

    @Test
    void theTaskDecryptsItsSecretsUnderACustomerKeyThroughSecretsManagerOnly() {
        StackValues stack = centralStack(
                HOME,
                Map.of(
                        "CreateEcsService", "true",
                        "DatabaseUrl", "jdbc:postgresql://db:5432/recorder",
                        "DatabaseUsername", "recorder",
                        "DatabasePasswordSecretArn", "arn:aws:secretsmanager:us-east-1:111111111111:secret:db",
                        "SecretsKmsKeyArn", "arn:aws:kms:us-east-1:111111111111:key/secrets-key"));

        String role = String.valueOf(stack.value(properties(central, "TaskExecutionRole")));
        assertThat(role)
                .contains("kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/secrets-key")
                .contains("kms:ViaService=secretsmanager.us-east-1.amazonaws.com");
        assertThat(String.valueOf(centralStack(
                                HOME,
                                Map.of(
                                        "CreateEcsService",
                                        "true",
                                        "DatabaseUrl",
                                        "",
                                        "EfsFileSystemId",
                                        "fs-1",
                                        "EfsAccessPointId",
                                        "fsap-1"))
                        .value(properties(central, "TaskExecutionRole"))))
                .doesNotContain("kms:");
    }

    @Test
    void podIdentityTrustsOnlyTheRecordersServiceAccountOfItsCluster() {
        StackValues stack =
                centralStack(HOME, Map.of("RecorderRuntime", "kubernetes-pod-identity", "EksClusterName", "prod"));

        String trust =
                String.valueOf(stack.value(properties(central, "RecorderRole").get("AssumeRolePolicyDocument")));
        assertThat(trust)
                .contains("pods.eks.amazonaws.com", "sts:TagSession")
                .contains("aws:RequestTag/eks-cluster-arn=arn:aws:eks:us-east-1:111111111111:cluster/prod")
                .contains("aws:RequestTag/kubernetes-namespace=vpc-flowlogs-recorder")
                .contains("aws:RequestTag/kubernetes-service-account=vpc-flowlogs-recorder")
                .contains("aws:SourceAccount=111111111111");
    }

    @Test
    void rulesRefuseCombinationsThatCannotWork() {
        assertThat(centralStack(HOME, Map.of("RecorderRuntime", "kubernetes")).failedRules())
                .singleElement()
                .asString()
                .contains("OidcProviderArn and OidcProviderHost");
        assertThat(centralStack(HOME, Map.of("RecorderRuntime", "kubernetes-pod-identity"))
                        .failedRules())
                .singleElement()
                .asString()
                .contains("EksClusterName");
        Map<String, String> ecs = Map.of(
                "CreateEcsService", "true",
                "DatabaseUrl", "jdbc:postgresql://db:5432/recorder",
                "DatabaseUsername", "recorder",
                "DatabasePassword", "secret");
        assertThat(centralStack(HOME, ecs).failedRules())
                .hasSize(3)
                .anySatisfy(f -> assertThat(f).contains("ContainerImage"))
                .anySatisfy(f -> assertThat(f).contains("Subnets"))
                .anySatisfy(f -> assertThat(f).contains("SecurityGroups"));
        Map<String, String> complete = new java.util.HashMap<>(ecs);
        complete.putAll(Map.of(
                "ContainerImage", "r/vpc-flowlogs-recorder:0.1.0", "Subnets", "subnet-1", "SecurityGroups", "sg-1"));
        assertThat(centralStack(HOME, complete).failedRules()).isEmpty();
        complete.put("RecorderRuntime", "kubernetes-pod-identity");
        complete.put("EksClusterName", "prod");
        assertThat(centralStack(HOME, complete).failedRules())
                .singleElement()
                .asString()
                .contains("RecorderRuntime ecs");
        assertThat(centralStack(HOME, Map.of()).failedRules()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStacksOwnAlarmsAreNamedOutsideTheRecordersPrefix() {
        for (var template : List.of(central, member)) {
            StackValues stack = template == central ? centralStack(HOME, Map.of()) : memberStack(OTHER, CENTRAL_BUS);
            String prefix = String.valueOf(stack.value(new CloudFormationTemplate.Intrinsic("Ref", "AlarmNamePrefix")));
            ((Map<String, Object>) template.get("Resources")).forEach((id, resource) -> {
                Map<String, Object> r = (Map<String, Object>) resource;
                if ("AWS::CloudWatch::Alarm".equals(r.get("Type"))) {
                    Object name = stack.value(((Map<String, Object>) r.get("Properties")).get("AlarmName"));
                    assertThat(name).as(id).isNotNull();
                    assertThat(String.valueOf(name)).as(id).doesNotStartWith(prefix);
                }
            });
        }
    }

    @Test
    void theMemberDeadLetterQueueIsKeptLikeTheOthers() {
        StackValues withKey = new StackValues(
                member,
                OTHER,
                Map.of(
                        "RecorderRoleArn", RECORDER_ROLE,
                        "CentralEventBusArn", CENTRAL_BUS,
                        "KmsKeyArn", "arn:aws:kms:eu-west-1:111111111111:key/k"));

        assertThat(String.valueOf(withKey.value(properties(member, "UndeliveredEventsQueue"))))
                .contains("KmsMasterKeyId=arn:aws:kms:eu-west-1:111111111111:key/k");
        assertThat(String.valueOf(memberStack(OTHER, CENTRAL_BUS).value(properties(member, "UndeliveredEventsQueue"))))
                .contains("SqsManagedSseEnabled=true");
        assertThat(String.valueOf(properties(member, "UndeliveredEventsQueuePolicy")))
                .contains("aws:SecureTransport=false", "Deny");
        assertThat(String.valueOf(properties(member, "UndeliveredEventsAlarm")))
                .contains("UndeliveredEventsQueue.QueueName", "ApproximateNumberOfMessagesVisible", "OperationsTopic");
        assertThat(withKey.made("UndeliveredEventsAlarm")).isTrue();
    }

    @Test
    void theTaskRunsOnTheArchitectureChosen() {
        StackValues arm = centralStack(HOME, Map.of("CpuArchitecture", "ARM64"));
        assertThat(String.valueOf(
                        arm.value(properties(central, "TaskDefinition").get("RuntimePlatform"))))
                .contains("CpuArchitecture=ARM64", "OperatingSystemFamily=LINUX");
    }

    @Test
    void aConfigurationFileInS3IsImportedAndOnlyThatObjectMayBeRead() {
        StackValues stack = centralStack(
                HOME,
                Map.of("CreateEcsService", "true", "RecorderConfigS3Uri", "s3://config-bucket/recorder/accounts.yaml"));

        assertThat(environment(stack))
                .containsEntry("SPRING_CONFIG_IMPORT", "aws-s3:config-bucket/recorder/accounts.yaml");
        assertThat(String.valueOf(stack.value(properties(central, "RecorderPolicy"))))
                .contains("Action=s3:GetObject", "Resource=arn:aws:s3:::config-bucket/recorder/accounts.yaml")
                .doesNotContain("s3:::config-bucket/*");
    }

    // ---- helpers ----

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> template, String resource) {
        return (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get(resource))
                        .get("Properties");
    }

    static Object physicalName(Map<String, Object> template, String resource) {
        return properties(template, resource).get("RoleName");
    }

    @SuppressWarnings("unchecked")
    static Object output(Map<String, Object> template, String name) {
        return ((Map<String, Object>) ((Map<String, Object>) template.get("Outputs")).get(name)).get("Value");
    }

    /** The recorder container's environment in this stack. */
    @SuppressWarnings("unchecked")
    static Map<String, String> environment(StackValues stack) {
        Map<String, Object> container = ((List<Map<String, Object>>)
                        properties(central, "TaskDefinition").get("ContainerDefinitions"))
                .get(0);
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Object entry : (List<Object>) stack.value(container.get("Environment"))) {
            Map<String, Object> e = (Map<String, Object>) entry;
            env.put(String.valueOf(e.get("Name")), String.valueOf(e.get("Value")));
        }
        return env;
    }
}
