package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.Call;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.FlowLog;
import dev.vpcflowlogs.recorder.standin.CredentialsApi.Issued;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One recorder for two accounts in two regions each: the recorder's own (A, 123456789012) and a member (B,
 * 222222222222) reached through the role it assumes there. The stand-in keeps EC2, CloudWatch, CloudWatch Logs and
 * SNS apart by the account of a call's credentials and the region of its signature, so a call made with the wrong
 * credentials or in the wrong region lands somewhere a test sees.
 */
class AccountsIT extends EndToEndSupport {

    static final String A = AwsStandIn.DEFAULT_ACCOUNT;
    static final String B = "222222222222";
    static final String HOME = "us-east-1";
    static final String EU = "eu-west-1";
    static final String B_ROLE = "arn:aws:iam::" + B + ":role/vpc-flowlogs-recorder-member";
    static final String GW_A = SAMPLE_GATEWAY;
    static final String GW_A_EU = "nat-0aaaaaaaaaaaaaae1";
    static final String GW_B = "nat-0bbbbbbbbbbbbbbb1";
    static final String GW_B_HOME = "nat-0bbbbbbbbbbbbbbb2";

    @Override
    AwsStandIn standIn() {
        AwsStandIn aws = AwsStandIn.start().natGateway(GW_A, "eni-0a00000000000000a");
        aws.in(A, EU, () -> aws.natGateway(GW_A_EU, "eni-0a000000000000e01"));
        aws.in(B, EU, () -> aws.natGateway(GW_B, "eni-0b00000000000000b"));
        aws.in(B, HOME, () -> aws.natGateway(GW_B_HOME, "eni-0b000000000000002"));
        return aws.memberRole(B_ROLE, A, "org-recorder");
    }

    RecorderHarness twoAccounts() {
        return recorder.with("recorder.regions[0]", EU)
                .with("recorder.accounts[0].id", B)
                .with("recorder.accounts[0].external-id", "org-recorder")
                // One role for both regions, named by the account (the per-region default is the central IT's).
                .with("recorder.accounts[0].role-arn", B_ROLE)
                .with("recorder.accounts[0].regions[0]", EU)
                .with("recorder.accounts[0].regions[1]", HOME)
                .with("recorder.nat-gateways[1].id", GW_A_EU)
                .with("recorder.nat-gateways[1].region", EU)
                .with("recorder.nat-gateways[2].id", GW_B)
                .with("recorder.nat-gateways[2].account", B)
                .with("recorder.nat-gateways[2].region", EU)
                .with("recorder.nat-gateways[3].id", GW_B_HOME)
                .with("recorder.nat-gateways[3].account", B)
                .with(
                        "recorder.flow-logs.delivery-role-arn",
                        "arn:aws:iam::{account}:role/vpc-flowlogs-recorder-delivery");
    }

    List<FlowLog> flowLogsIn(String account, String region) {
        return aws.in(account, region, aws::flowLogs);
    }

    /** The access keys STS issued for B's role. */
    Set<String> keysOfB() {
        return aws.issuedCredentials().stream()
                .filter(i -> i.roleArn().equals(B_ROLE))
                .map(Issued::accessKeyId)
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void anAlarmFromBInEuWest1CreatesFlowLogsOnlyThereWithBsAssumedCredentials() {
        twoAccounts().start();

        recorder.send(Events.from(Events.alarm(GW_B, Instant.now()), B, EU));

        await().atMost(Duration.ofSeconds(30)).until(() -> flowLogsIn(B, EU).size() == 1);
        FlowLog flowLog = flowLogsIn(B, EU).get(0);
        assertThat(flowLog.resourceId()).isEqualTo("eni-0b00000000000000b");
        assertThat(flowLog.deliverLogsPermissionArn())
                .isEqualTo("arn:aws:iam::" + B + ":role/vpc-flowlogs-recorder-delivery");
        assertThat(flowLogsIn(A, HOME)).isEmpty();
        assertThat(flowLogsIn(A, EU)).isEmpty();
        assertThat(flowLogsIn(B, HOME)).isEmpty();
        Call create = aws.calls("CreateFlowLogs").stream()
                .filter(c -> !c.dryRun())
                .findFirst()
                .orElseThrow();
        assertThat(create.account()).isEqualTo(B);
        assertThat(create.region()).isEqualTo(EU);
        assertThat(keysOfB()).contains(create.accessKeyId());
        assertThat(aws.calls("AssumeRole")).allSatisfy(c -> assertThat(c.params())
                .containsEntry("RoleArn", B_ROLE)
                .containsEntry("RoleSessionName", "vpc-flowlogs-recorder")
                .containsEntry("ExternalId", "org-recorder"));

        recorder.send(Events.from(Events.ok(GW_B, Instant.now()), B, EU));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(flowLogsIn(B, EU)).isEmpty();
        assertThat(aws.published().get(0).message()).contains(GW_B + " (account " + B + ", " + EU + ")");
        assertThat(recorder.get("/actuator/recordings").getValue())
                .contains("\"account\":\"" + B + "\"", "\"region\":\"" + EU + "\"");
        // Every call in B was made with B's role, every call in A with the recorder's own credentials.
        assertThat(aws.calls().stream().filter(c -> !c.service().equals("sts")))
                .allSatisfy(c -> assertThat(keysOfB().contains(c.accessKeyId()))
                        .as("%s %s in %s/%s", c.service(), c.action(), c.account(), c.region())
                        .isEqualTo(c.account().equals(B)));
    }

    @Test
    void eachReconcilerListsAndDeletesOnlyInItsOwnAccountAndRegion() {
        Map<String, String> lost = Map.of(
                "managed-by", "vpc-flowlogs-recorder",
                "recording-id", "lost",
                "expires-at", Instant.now().minusSeconds(60).toString());
        String inA = aws.flowLogWithTags("eni-0a00000000000000a", RecorderHarness.LOG_GROUP, lost);
        String inB = aws.in(B, EU, () -> aws.flowLogWithTags("eni-0b00000000000000b", RecorderHarness.LOG_GROUP, lost));
        // B in a region the recorder is not told of: never looked at.
        String elsewhere = aws.in(B, "ap-south-1", () -> aws.flowLogWithTags("eni-0b0000000000000ff", "/other", lost));

        twoAccounts().start();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> flowLogsIn(A, HOME).isEmpty() && flowLogsIn(B, EU).isEmpty());
        assertThat(aws.in(B, "ap-south-1", aws::flowLogs))
                .extracting(FlowLog::flowLogId)
                .containsExactly(elsewhere);
        List<Call> deletes = aws.calls("DeleteFlowLogs");
        assertThat(deletes).anySatisfy(c -> {
            assertThat(c.params()).containsValue(inB);
            assertThat(c.account()).isEqualTo(B);
            assertThat(c.region()).isEqualTo(EU);
            assertThat(keysOfB()).contains(c.accessKeyId());
        });
        assertThat(deletes).anySatisfy(c -> {
            assertThat(c.params()).containsValue(inA);
            assertThat(c.account()).isEqualTo(A);
        });
        assertThat(deletes)
                .as("no delete names a flow log of another account or region")
                .noneMatch(c -> c.params().containsValue(inA) && c.account().equals(B))
                .noneMatch(c -> c.params().containsValue(inB) && c.account().equals(A));
        assertThat(aws.calls("DescribeFlowLogs")).extracting(Call::region).doesNotContain("ap-south-1");
        assertThat(recorder.count("recorder.reconciler.deleted", "account", B, "region", EU))
                .isEqualTo(1);
    }

    @Test
    void aDeniedRoleInBShowsInHealthNamingBAndAKeepsRecording() {
        aws.denyAssumeRole(B_ROLE);
        twoAccounts().start();

        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> recorder.get("/actuator/health/accounts").getValue(),
                        body -> body.contains(B + "/" + EU) && body.contains("AccessDenied"));
        String health = recorder.get("/actuator/health/accounts").getValue();
        assertThat(health).contains("\"status\":\"DOWN\"", B_ROLE).contains("\"" + A + "\"");

        recorder.send(Events.from(Events.alarm(GW_B, Instant.now()), B, EU));
        recorder.send(Events.alarm(GW_A, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> flowLogsIn(A, HOME).size() == 1);
        recorder.send(Events.ok(GW_A, Instant.now()));

        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        assertThat(aws.published().get(0).message()).contains(GW_A);
        assertThat(flowLogsIn(B, EU)).isEmpty();
        // B's recording waits for its role, retried by its own deadline; it is not given up on.
        assertThat(recorder.get("/actuator/recordings").getValue())
                .contains("\"natGatewayId\":\"" + GW_B + "\",\"account\":\"" + B + "\"")
                .contains("cannot be assumed");
        assertThat(recorder.deadLetterDepth()).isZero();
    }

    @Test
    void anEventIsMatchedOnlyInItsOwnAccountAndRegionAndUnknownAccountsAreIgnored() {
        twoAccounts().start();

        // B's gateway, but the event says it comes from A, then from B's other region; and an account not served.
        recorder.send(Events.from(Events.alarm(GW_B, Instant.now()), A, EU));
        recorder.send(Events.from(Events.alarm(GW_B, Instant.now()), B, HOME));
        recorder.send(Events.from(Events.alarm(GW_B, Instant.now()), "333333333333", EU));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> recorder.count("recorder.events", "outcome", "ignored", "reason", "gateway-elsewhere") == 2
                        && recorder.count("recorder.events", "outcome", "ignored", "reason", "place-not-served") == 1);
        assertThat(aws.calls("CreateFlowLogs").stream().filter(c -> !c.dryRun()))
                .isEmpty();
    }

    @Test
    void everyPlaceGetsItsLogGroupUnderItsResolvedNameWithThatPlacesCredentials() {
        twoAccounts()
                .with("recorder.flow-logs.log-group", "/vpc-flowlogs-recorder/{account}/{region}")
                .start();

        Map<String, String> expected = Map.of(
                A + "/" + HOME, "/vpc-flowlogs-recorder/" + A + "/" + HOME,
                A + "/" + EU, "/vpc-flowlogs-recorder/" + A + "/" + EU,
                B + "/" + EU, "/vpc-flowlogs-recorder/" + B + "/" + EU,
                B + "/" + HOME, "/vpc-flowlogs-recorder/" + B + "/" + HOME);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> expected.entrySet().stream().allMatch(e -> {
                    String[] place = e.getKey().split("/");
                    return aws.in(place[0], place[1], aws::logGroups).containsKey(e.getValue());
                }));
        expected.forEach((where, group) -> {
            String[] place = where.split("/");
            assertThat(aws.in(place[0], place[1], aws::logGroups))
                    .as(where)
                    .containsOnlyKeys(group)
                    .containsEntry(group, 7);
        });
        assertThat(aws.calls("CreateLogGroup"))
                .allSatisfy(c -> assertThat(keysOfB().contains(c.accessKeyId()))
                        .isEqualTo(c.account().equals(B)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> recorder.request("GET", "/actuator/health/readiness", null)
                                .getKey()
                        == 200);
        assertThat(recorder.get("/actuator/health/flowLogDestination").getValue())
                .contains(
                        "\"status\":\"UP\"", "own account/" + EU, B + "/" + HOME, "/vpc-flowlogs-recorder/" + B + "/");

        recorder.send(Events.from(Events.alarm(GW_B, Instant.now()), B, EU));
        await().atMost(Duration.ofSeconds(30)).until(() -> flowLogsIn(B, EU).size() == 1);
        assertThat(flowLogsIn(B, EU).get(0).logGroupName()).isEqualTo("/vpc-flowlogs-recorder/" + B + "/" + EU);
    }

    @Test
    void aMemberWhoseGroupCannotBeMadeIsReportedAndTheRecorderStaysReady() {
        aws.denyAssumeRole(B_ROLE);
        twoAccounts().start();

        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> recorder.get("/actuator/health/flowLogDestination")
                                .getValue(),
                        body -> body.contains(B + "/" + EU) && body.contains("cannot be set up"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> recorder.request("GET", "/actuator/health/readiness", null)
                                .getKey()
                        == 200);
        assertThat(recorder.get("/actuator/health/flowLogDestination").getValue())
                .contains(B + "/" + EU, "cannot be set up");
        assertThat(aws.in(A, EU, aws::logGroups)).containsKey(RecorderHarness.LOG_GROUP);
    }

    @Test
    void aTopicInAnotherRegionReceivesEveryNotification() {
        // SNS publishes only to a topic of the region a request is sent to: the recorder must go to the topic's.
        String euTopic = "arn:aws:sns:" + EU + ":" + A + ":vpc-flowlogs-recorder";
        aws.in(A, EU, () -> aws.topic(euTopic));
        recorder.with("recorder.notifications.topic-arn", euTopic).start();

        recorder.send(Events.alarm(GW_A, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> flowLogsIn(A, HOME).size() == 1);
        recorder.send(Events.ok(GW_A, Instant.now()));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> !aws.in(A, EU, aws::published).isEmpty());
        assertThat(aws.in(A, EU, aws::published).get(0).message()).contains(GW_A);
        assertThat(aws.calls("Publish")).allSatisfy(c -> assertThat(c.region()).isEqualTo(EU));
    }
}
