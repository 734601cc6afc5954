package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import dev.vpcflowlogs.recorder.standin.AwsStandIn.FlowLog;
import dev.vpcflowlogs.recorder.standin.S3StandIn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An organization as the templates lay it out: the member stack in every account and region the recorder records in,
 * the central account's own included, so every account's flow logs use its own region's delivery role
 * ({@code arn:aws:iam::{account}:role/vpc-flowlogs-recorder-delivery-{region}}) and every member is reached through its
 * region's member role (the default {@code recorder.member-role-arn}). The accounts come from a configuration file in
 * S3, as the ECS task imports it when they do not fit in an environment variable.
 */
class OrganizationIT extends EndToEndSupport {

    static final String CENTRAL = AwsStandIn.DEFAULT_ACCOUNT;
    static final String HOME = "us-east-1";
    static final String EU = "eu-west-1";
    static final int ACCOUNTS = 1_000;
    /** The last of the organization's accounts, with a gateway in each of its two regions. */
    static final String MEMBER = String.valueOf(300_000_000_000L + ACCOUNTS - 1);

    static final String GW_MEMBER = "nat-0bbbbbbbbbbbbbbb1";
    static final String GW_MEMBER_EU = "nat-0bbbbbbbbbbbbbbe1";
    static final String DELIVERY = "arn:aws:iam::{account}:role/vpc-flowlogs-recorder-delivery-{region}";

    S3StandIn s3;

    @Override
    AwsStandIn standIn() {
        AwsStandIn aws = AwsStandIn.start().natGateway(SAMPLE_GATEWAY, "eni-0a00000000000000a");
        aws.in(MEMBER, HOME, () -> aws.natGateway(GW_MEMBER, "eni-0b00000000000000b"));
        aws.in(MEMBER, EU, () -> aws.natGateway(GW_MEMBER_EU, "eni-0b000000000000e01"));
        for (int i = 0; i < ACCOUNTS; i++) {
            String account = String.valueOf(300_000_000_000L + i);
            for (String region : List.of(HOME, EU)) {
                aws.memberRole(
                        "arn:aws:iam::" + account + ":role/vpc-flowlogs-recorder-member-" + region, CENTRAL, null);
            }
        }
        return aws;
    }

    @AfterEach
    void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    /** The organization's configuration, as a platform team would keep it in S3: too long for an environment variable. */
    static String organizationYaml() {
        StringBuilder yaml = new StringBuilder("recorder:\n  accounts:\n");
        for (int i = 0; i < ACCOUNTS; i++) {
            yaml.append("    - id: \"").append(300_000_000_000L + i).append("\"\n");
            yaml.append("      regions: [").append(HOME).append(", ").append(EU).append("]\n");
        }
        yaml.append("  nat-gateways:\n");
        yaml.append("    - id: ").append(SAMPLE_GATEWAY).append('\n');
        yaml.append("    - {id: ")
                .append(GW_MEMBER)
                .append(", account: \"")
                .append(MEMBER)
                .append("\"}\n");
        yaml.append("    - {id: ")
                .append(GW_MEMBER_EU)
                .append(", account: \"")
                .append(MEMBER)
                .append("\", region: ")
                .append(EU)
                .append("}\n");
        yaml.append("  flow-logs:\n    delivery-role-arn: \"").append(DELIVERY).append("\"\n");
        return yaml.toString();
    }

    List<FlowLog> flowLogsIn(String account, String region) {
        return aws.in(account, region, aws::flowLogs);
    }

    @Test
    void theCentralAccountAndAMemberRecordSideBySideWithTheirOwnDeliveryRoles() {
        String yaml = organizationYaml();
        assertThat(yaml.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(4_096 * 10);
        s3 = S3StandIn.start().object("config-bucket", "recorder/organization.yaml", yaml, "application/x-yaml");
        recorder.without("recorder.nat-gateways[0].id")
                .without("recorder.flow-logs.delivery-role-arn")
                // The reconciler and the alarms in each of 2,000 places: at their production pace, not the tests' 1 s.
                .with("recorder.reconciler.interval", "5m")
                .with("recorder.alarms.reconcile-interval", "5m")
                .with("spring.config.import", "aws-s3:config-bucket/recorder/organization.yaml")
                .with("spring.cloud.aws.s3.endpoint", s3.endpoint())
                .with("spring.cloud.aws.s3.path-style-access-enabled", true)
                .start();
        assertThat(s3.gets()).containsExactly("config-bucket/recorder/organization.yaml");

        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        recorder.send(Events.from(Events.alarm(GW_MEMBER, Instant.now()), MEMBER, HOME));
        recorder.send(Events.from(Events.alarm(GW_MEMBER_EU, Instant.now()), MEMBER, EU));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> flowLogsIn(CENTRAL, HOME).size() == 1
                        && flowLogsIn(MEMBER, HOME).size() == 1
                        && flowLogsIn(MEMBER, EU).size() == 1);
        assertThat(flowLogsIn(CENTRAL, HOME).get(0).deliverLogsPermissionArn())
                .isEqualTo("arn:aws:iam::" + CENTRAL + ":role/vpc-flowlogs-recorder-delivery-" + HOME);
        assertThat(flowLogsIn(MEMBER, HOME).get(0).deliverLogsPermissionArn())
                .isEqualTo("arn:aws:iam::" + MEMBER + ":role/vpc-flowlogs-recorder-delivery-" + HOME);
        assertThat(flowLogsIn(MEMBER, EU).get(0).deliverLogsPermissionArn())
                .isEqualTo("arn:aws:iam::" + MEMBER + ":role/vpc-flowlogs-recorder-delivery-" + EU);
        // Each member region through its own region's role; the central account with the recorder's own credentials.
        assertThat(aws.calls("AssumeRole"))
                .extracting(c -> c.params().get("RoleArn"))
                .contains(
                        "arn:aws:iam::" + MEMBER + ":role/vpc-flowlogs-recorder-member-" + HOME,
                        "arn:aws:iam::" + MEMBER + ":role/vpc-flowlogs-recorder-member-" + EU)
                .noneMatch(role -> role.startsWith("arn:aws:iam::" + CENTRAL + ":"));

        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));
        recorder.send(Events.from(Events.ok(GW_MEMBER, Instant.now()), MEMBER, HOME));
        recorder.send(Events.from(Events.ok(GW_MEMBER_EU, Instant.now()), MEMBER, EU));
        await().atMost(Duration.ofSeconds(60)).until(() -> aws.published().size() == 3);
        assertThat(flowLogsIn(CENTRAL, HOME)).isEmpty();
        assertThat(flowLogsIn(MEMBER, HOME)).isEmpty();
        assertThat(flowLogsIn(MEMBER, EU)).isEmpty();
        assertThat(aws.in(MEMBER, EU, aws::logGroups)).containsKey(RecorderHarness.LOG_GROUP);
    }

    @Test
    void aConfigurationFileThatCannotBeReadStopsTheStartNamingIt() {
        s3 = S3StandIn.start().bucket("config-bucket");
        recorder.with("spring.config.import", "aws-s3:config-bucket/recorder/missing.yaml")
                .with("spring.cloud.aws.s3.endpoint", s3.endpoint())
                .with("spring.cloud.aws.s3.path-style-access-enabled", true);

        org.assertj.core.api.Assertions.assertThatThrownBy(recorder::start)
                .hasStackTraceContaining("AwsS3PropertySourceNotFoundException")
                .hasStackTraceContaining("NoSuchKey");
    }
}
