package dev.vpcflowlogs.recorder.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

/** Configuration binding: defaults, and a bad value stopping start-up with a message naming the property. */
class RecorderPropertiesTest {

    @EnableConfigurationProperties(RecorderProperties.class)
    static class Properties {}

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ConfigurationPropertiesAutoConfiguration.class, ValidationAutoConfiguration.class))
            .withUserConfiguration(Properties.class)
            .withPropertyValues(
                    "recorder.nat-gateways[0].id=nat-0a1b2c3d4e5f60718",
                    "recorder.flow-logs.delivery-role-arn=arn:aws:iam::123456789012:role/delivery");

    @Test
    void theContractDefaultsApply() {
        runner.run(context -> {
            RecorderProperties p = context.getBean(RecorderProperties.class);
            assertThat(p.queue()).isEqualTo("vpc-flowlogs-recorder-events");
            assertThat(p.recording().maxDuration()).isEqualTo(Duration.ofMinutes(15));
            assertThat(p.recording().tail()).isEqualTo(Duration.ofMinutes(2));
            assertThat(p.recording().maxRecordingsPerGateway()).isZero();
            assertThat(p.flowLogs().logGroup()).isEqualTo("/vpc-flowlogs-recorder/recordings");
            assertThat(p.flowLogs().retentionDays()).isEqualTo(7);
            assertThat(p.flowLogs().maxAggregationInterval()).isEqualTo(Duration.ofSeconds(60));
            assertThat(p.flowLogs().logFormat()).isEqualTo(FlowLogFormat.ORIGINAL_FORMAT);
            assertThat(p.notifications().topicArn()).isNull();
        });
    }

    @Test
    void theExampleFileIsValidAndShowsTheDefaults() throws Exception {
        var example = new org.springframework.boot.env.YamlPropertySourceLoader()
                .load("example", new org.springframework.core.io.FileSystemResource("application.yml.example"))
                .get(0);
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        ConfigurationPropertiesAutoConfiguration.class, ValidationAutoConfiguration.class))
                .withUserConfiguration(Properties.class)
                .withInitializer(
                        context -> context.getEnvironment().getPropertySources().addFirst(example))
                .run(exampleContext -> runner.run(defaultsContext -> {
                    RecorderProperties shown = exampleContext.getBean(RecorderProperties.class);
                    RecorderProperties defaults = defaultsContext.getBean(RecorderProperties.class);
                    assertThat(shown.queue()).isEqualTo(defaults.queue());
                    assertThat(shown.recording()).isEqualTo(defaults.recording());
                    assertThat(shown.intake()).isEqualTo(defaults.intake());
                    assertThat(shown.report()).isEqualTo(defaults.report());
                    assertThat(shown.reconciler()).isEqualTo(defaults.reconciler());
                    assertThat(shown.aws()).isEqualTo(defaults.aws());
                    assertThat(shown.flowLogs().format())
                            .isEqualTo(defaults.flowLogs().format());
                    assertThat(shown.flowLogs().logGroup())
                            .isEqualTo(defaults.flowLogs().logGroup());
                    assertThat(shown.flowLogs().retentionDays())
                            .isEqualTo(defaults.flowLogs().retentionDays());
                    assertThat(shown.flowLogs().maxAggregationInterval())
                            .isEqualTo(defaults.flowLogs().maxAggregationInterval());
                }));
    }

    @Test
    void aLogFormatFromYamlKeepsItsFieldsWhateverSpringPlaceholdersExist() {
        runner.withPropertyValues("recorder.flow-logs.log-format=srcaddr dstaddr bytes", "bytes=should-not-matter")
                .run(context -> assertThat(context.getBean(RecorderProperties.class)
                                .flowLogs()
                                .format()
                                .toAwsFormat())
                        .isEqualTo("${srcaddr} ${dstaddr} ${bytes}"));
    }

    @Test
    void aMissingGatewayListStopsStartUp() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        ConfigurationPropertiesAutoConfiguration.class, ValidationAutoConfiguration.class))
                .withUserConfiguration(Properties.class)
                .withPropertyValues("recorder.flow-logs.delivery-role-arn=arn:aws:iam::123456789012:role/delivery")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("recorder.nat-gateways")
                        .hasMessageContaining("name at least one NAT gateway")
                        .hasMessageContaining("recorder.discovery.tags"));
    }

    @Test
    void discoveryByTagAloneIsEnough() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        ConfigurationPropertiesAutoConfiguration.class, ValidationAutoConfiguration.class))
                .withUserConfiguration(Properties.class)
                .withPropertyValues(
                        "recorder.flow-logs.delivery-role-arn=arn:aws:iam::123456789012:role/delivery",
                        "recorder.discovery.tags.flowlogs-recorder=enabled")
                .run(context -> assertThat(context.getBean(RecorderProperties.class)
                                .discovery()
                                .tags())
                        .containsExactly(java.util.Map.entry("flowlogs-recorder", "enabled")));
    }

    @Test
    void aGatewaysOwnAlarmSettingsOverrideTheGlobalOnes() {
        runner.withPropertyValues(
                        "recorder.nat-gateways[1].id=nat-0a1b2c3d4e5f60719",
                        "recorder.nat-gateways[1].threshold=1GB",
                        "recorder.nat-gateways[1].mode=anomaly",
                        "recorder.alarms.evaluation-periods=5")
                .run(context -> {
                    RecorderProperties p = context.getBean(RecorderProperties.class);
                    var own = p.alarms()
                            .settingsFor(p.listed("nat-0a1b2c3d4e5f60719").orElseThrow());
                    assertThat(own.threshold()).isEqualTo(org.springframework.util.unit.DataSize.ofGigabytes(1));
                    assertThat(own.mode()).isEqualTo(AlarmSettings.AlarmMode.ANOMALY);
                    assertThat(own.evaluationPeriods()).isEqualTo(5);
                    var global = p.alarms()
                            .settingsFor(p.listed("nat-0a1b2c3d4e5f60718").orElseThrow());
                    assertThat(global.threshold()).isEqualTo(org.springframework.util.unit.DataSize.ofMegabytes(100));
                });
    }

    @Test
    void anAlarmPeriodThatIsNotWholeMinutesNamesItsProperty() {
        expectFailure("recorder.alarms.period=90s", "recorder.alarms.period must be a whole number of minutes");
    }

    @Test
    void aGatewaysBadOverrideNamesItsEntry() {
        expectFailure(
                "recorder.nat-gateways[0].datapoints-to-alarm=4",
                "recorder.nat-gateways[0].datapoints-to-alarm must be between 1 and evaluation-periods (3)");
    }

    @Test
    void anUnknownMetricIsRejectedWithTheChoices() {
        expectFailure("recorder.alarms.metrics=BytesInFromSorce", "'BytesInFromSorce' is not an AWS/NATGateway metric");
    }

    @Test
    void aMalformedGatewayIdIsRejected() {
        expectFailure("recorder.nat-gateways[0].id=igw-123", "natGateways[0].id", "must be a NAT gateway id");
    }

    @Test
    void aGatewayOfAnAccountNotConfiguredNamesItsEntry() {
        expectFailure(
                "recorder.nat-gateways[0].account=222222222222",
                "recorder.nat-gateways[0].account: 222222222222 is not among recorder.accounts[].id");
    }

    @Test
    void aMalformedAccountIdIsRejected() {
        expectFailure("recorder.accounts[0].id=2222", "accounts[0].id", "must be a 12-digit account id");
    }

    @Test
    void anAccountListedTwiceIsRejected() {
        expectFailure(
                new String[] {"recorder.accounts[0].id=222222222222", "recorder.accounts[1].id=222222222222"},
                "recorder.accounts lists an account id twice");
    }

    @Test
    void aConsolePasswordThatIsNotABcryptHashNamesItsUserAndIsNeverTaken() {
        expectFailure(
                new String[] {"recorder.console.users[0].name=alice", "recorder.console.users[0].password=hunter2"},
                "recorder.console.users[0].password must be a bcrypt hash");
    }

    @Test
    void aConsoleRoleThatDoesNotExistIsRejected() {
        expectFailure(
                new String[] {
                    "recorder.console.users[0].name=alice",
                    "recorder.console.users[0].password=$2a$04$Ro0CUfOqk6cXEKf3dyaM7OhSCvnwM9s4wIX9JeLapehKK5YdLxKcm",
                    "recorder.console.users[0].role=admin"
                },
                "admin");
    }

    @Test
    void theDeliveryRoleIsRequired() {
        expectFailure("recorder.flow-logs.delivery-role-arn=", "deliveryRoleArn", "is required");
    }

    @Test
    void anUnsupportedAggregationIntervalNamesItsProperty() {
        expectFailure(
                "recorder.flow-logs.max-aggregation-interval=5m",
                "recorder.flow-logs.max-aggregation-interval must be 60s or 600s");
    }

    @Test
    void aRetentionCloudWatchDoesNotOfferNamesItsProperty() {
        expectFailure("recorder.flow-logs.retention-days=10", "recorder.flow-logs.retention-days must be one of");
    }

    @Test
    void anUnknownLogFormatFieldNamesItsProperty() {
        expectFailure("recorder.flow-logs.log-format=${srcaddr} ${nope}", "recorder.flow-logs.log-format", "[nope]");
    }

    @Test
    void aVersion11TagFieldWithoutItsTagKeyNamesTheProperty() {
        expectFailure(
                "recorder.flow-logs.log-format=interface-type interface-tag srcaddr dstaddr bytes",
                "recorder.flow-logs.tag-fields.network-interface needs 1 tag key(s): the log format has"
                        + " ${interface-tag}");
    }

    @Test
    void tagKeysWithoutTheirFieldNameTheFieldToAdd() {
        expectFailure(
                "recorder.flow-logs.tag-fields.instance[0]=team",
                "recorder.flow-logs.tag-fields.instance names 1 tag key(s) but the log format has no tag field",
                "add ${instance-tag}");
    }

    @Test
    void version11FieldsAreAccepted() {
        runner.withPropertyValues(
                        "recorder.flow-logs.log-format=interface-type next-hop-interface-id next-hop-subnet-id"
                                + " next-hop-az-id next-hop-vpc-id next-hop-interface-type asg-tag srcaddr bytes",
                        "recorder.flow-logs.tag-fields.auto-scaling-group[0]=aws:autoscaling:groupName")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .getBean(RecorderProperties.class)
                        .satisfies(p -> assertThat(p.flowLogs().format().fields())
                                .contains("next-hop-interface-type", "asg-tag")));
    }

    @Test
    void aZeroMaximumDurationIsRejected() {
        expectFailure("recorder.recording.max-duration=0s", "recording.maxDuration");
    }

    @Test
    void aMistypedDurationNamesItsProperty() {
        expectFailure("recorder.recording.tail=two minutes", "recorder.recording.tail");
    }

    @Test
    void aGatewayListedTwiceIsRejected() {
        expectFailure("recorder.nat-gateways[1].id=nat-0a1b2c3d4e5f60718", "lists a gateway id twice");
    }

    private void expectFailure(String property, String... expected) {
        expectFailure(new String[] {property}, expected);
    }

    private void expectFailure(String[] properties, String... expected) {
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            StringBuilder messages = new StringBuilder();
            for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString()).contains(expected);
        });
    }
}
