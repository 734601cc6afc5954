package dev.vpcflowlogs.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment guide's commands (docs/deploy.md, the README's Deploy) as a platform team types them, with each
 * placeholder filled in: every
 * {@code aws cloudformation} command names a template that exists, parameters it declares with values it accepts,
 * passes its Rules and gives the capabilities its IAM resources need; every {@code helm} command renders the chart.
 * AWS itself is out of reach here; what CloudFormation would refuse before making anything is not.
 */
class DeployGuideCommandsTest {

    /** What a user puts for each placeholder of the guide: a new placeholder fails the test until it is added. */
    static final Map<String, String> PLACEHOLDERS = Map.ofEntries(
            Map.entry("account", "111111111111"),
            Map.entry("region", "us-east-1"),
            Map.entry("region-2", "eu-west-1"),
            Map.entry("id", "ABCDEF0123456789"),
            Map.entry("cluster", "prod"),
            Map.entry("nat-...", "nat-0a1b2c3d4e5f60718"),
            Map.entry("o-...", "o-abcdefghij"),
            Map.entry("ou-...", "ou-ab12-cdefgh12"),
            Map.entry("RecorderRoleArn", "arn:aws:iam::111111111111:role/vpc-flowlogs-recorder-RecorderRole-X"),
            Map.entry("CentralEventBusArn", "arn:aws:events:us-east-1:111111111111:event-bus/vpc-flowlogs-recorder"),
            Map.entry("DeliveryRoleArn", "arn:aws:iam::111111111111:role/vpc-flowlogs-recorder-DeliveryRole-X"),
            Map.entry("TopicArn", "arn:aws:sns:us-east-1:111111111111:vpc-flowlogs-recorder"),
            Map.entry("bucket", "platform-config"),
            Map.entry("host", "db.internal"),
            Map.entry("you@example.com", "sre@example.com"),
            Map.entry("arn:aws:secretsmanager:...", "arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf"),
            Map.entry("private-subnet-a", "subnet-0a1b2c3d4e5f60718"),
            Map.entry("private-subnet-b", "subnet-0b1b2c3d4e5f60718"),
            Map.entry("sg allowing egress 443 and 5432", "sg-0a1b2c3d4e5f60718"),
            Map.entry("service", "vpc-flowlogs-recorder-Service-X"),
            Map.entry("user", "victor"),
            Map.entry("password", "his-password"),
            Map.entry("DeadLetterQueueUrl", "https://sqs.us-east-1.amazonaws.com/111111111111/q"),
            Map.entry("dead-letter queue ARN", "arn:aws:sqs:us-east-1:111111111111:q"),
            Map.entry("event queue ARN", "arn:aws:sqs:us-east-1:111111111111:e"));

    /** The shell variables the guide's steps set before using them. */
    static final Map<String, String> VARIABLES = Map.of(
            "AWS_REGION", "us-east-1",
            "REGISTRY", "111111111111.dkr.ecr.us-east-1.amazonaws.com",
            "ROLE", PLACEHOLDERS.get("RecorderRoleArn"),
            "BUS", "arn:aws:events:us-east-1:111111111111:event-bus/default",
            "region", "eu-west-1");

    static List<List<String>> commands;

    @BeforeAll
    static void read() throws Exception {
        String deploy = Files.readString(Path.of("docs/deploy.md"));
        commands = new ArrayList<>();
        Matcher block = Pattern.compile("(?s)```sh\\n(.*?)```").matcher(deploy);
        while (block.find()) {
            String joined = block.group(1).replace("\\\n", " ");
            for (String line : joined.split("\n")) {
                String command = line.strip().replaceFirst("^(for .*; do|do|done)$", "");
                if (!command.isEmpty()) {
                    commands.add(words(fill(command)));
                }
            }
        }
    }

    static String fill(String command) {
        Matcher placeholder = Pattern.compile("<([^<>]+)>").matcher(command);
        StringBuilder out = new StringBuilder();
        while (placeholder.find()) {
            String value = PLACEHOLDERS.get(placeholder.group(1));
            if (value == null) {
                throw new AssertionError("the guide has a placeholder the test does not know: " + placeholder.group());
            }
            placeholder.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        placeholder.appendTail(out);
        String filled = out.toString();
        for (var variable : VARIABLES.entrySet()) {
            filled = filled.replace("$" + variable.getKey(), variable.getValue());
        }
        return filled;
    }

    /** A command line split as the shell splits it (quotes removed; no expansion is left to do). */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    static List<List<String>> starting(String... prefix) {
        return commands.stream()
                .filter(c ->
                        c.size() >= prefix.length && c.subList(0, prefix.length).equals(List.of(prefix)))
                .toList();
    }

    /** The values after an option, up to the next option. */
    static List<String> option(List<String> command, String name) {
        int at = command.indexOf(name);
        if (at < 0) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (int i = at + 1; i < command.size() && !command.get(i).startsWith("--"); i++) {
            values.add(command.get(i));
        }
        return values;
    }

    /** Checks a stack's parameters as CloudFormation does before it makes anything; returns its values. */
    @SuppressWarnings("unchecked")
    static StackValues accepted(Path template, Map<String, String> parameters, List<String> capabilities)
            throws Exception {
        Map<String, Object> t = CloudFormationTemplate.load(template);
        Map<String, Object> declared = (Map<String, Object>) t.get("Parameters");
        parameters.forEach((name, value) -> {
            assertThat(declared).as("%s declares %s", template, name).containsKey(name);
            Map<String, Object> d = (Map<String, Object>) declared.get(name);
            if (d.get("AllowedPattern") != null) {
                assertThat(value).as("%s=%s", name, value).matches((String) d.get("AllowedPattern"));
            }
            if (d.get("AllowedValues") != null) {
                assertThat(((List<Object>) d.get("AllowedValues")).stream().map(String::valueOf))
                        .as(name)
                        .contains(value);
            }
        });
        String resources = String.valueOf(t.get("Resources"));
        if (resources.contains("RoleName=")) {
            assertThat(capabilities).as("%s names IAM roles", template).contains("CAPABILITY_NAMED_IAM");
        } else if (resources.contains("AWS::IAM::")) {
            assertThat(capabilities)
                    .as("%s makes IAM resources", template)
                    .containsAnyOf("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM");
        }
        StackValues stack = new StackValues(t, "us-east-1", parameters);
        assertThat(stack.failedRules()).as("%s with %s", template, parameters).isEmpty();
        return stack;
    }

    @Test
    void everyCloudFormationDeployOfTheGuideIsAcceptedAsWritten() throws Exception {
        List<List<String>> deploys = starting("aws", "cloudformation", "deploy");
        // One account on ECS and on EKS (IRSA), a second region (two commands), an organization (central and member).
        assertThat(deploys).hasSizeGreaterThanOrEqualTo(6);
        for (List<String> deploy : deploys) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String pair : option(deploy, "--parameter-overrides")) {
                parameters.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            Path template = Path.of(option(deploy, "--template-file").get(0));
            assertThat(template).exists();
            accepted(template, parameters, option(deploy, "--capabilities"));
        }
    }

    @Test
    void theStackSetIsServiceManagedDeploysItselfAndItsInstancesAreWhole() throws Exception {
        List<String> create =
                starting("aws", "cloudformation", "create-stack-set").get(0);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String p : option(create, "--parameters")) {
            Matcher m =
                    Pattern.compile("ParameterKey=([^,]+),ParameterValue=(.*)").matcher(p);
            assertThat(m.matches()).as(p).isTrue();
            parameters.put(m.group(1), m.group(2));
        }
        Path template = Path.of(option(create, "--template-body").get(0).replaceFirst("^file://", ""));

        accepted(template, parameters, option(create, "--capabilities"));
        assertThat(option(create, "--permission-model")).containsExactly("SERVICE_MANAGED");
        assertThat(option(create, "--auto-deployment").get(0)).contains("Enabled=true");
        // In a member account of any region: roles, and the rule forwarding to the central bus.
        StackValues member =
                new StackValues(CloudFormationTemplate.load(template), "222222222222", "eu-west-1", parameters);
        for (String resource : List.of("MemberRole", "DeliveryRole", "ForwardRule", "UndeliveredEventsAlarm")) {
            assertThat(member.made(resource)).as(resource).isTrue();
        }
        List<String> instances =
                starting("aws", "cloudformation", "create-stack-instances").get(0);
        assertThat(option(instances, "--stack-set-name")).isEqualTo(option(create, "--stack-set-name"));
        assertThat(option(instances, "--deployment-targets").get(0)).startsWith("OrganizationalUnitIds=ou-");
        assertThat(option(instances, "--regions")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void everyHelmCommandOfTheGuideRendersTheChart() {
        List<List<String>> helm =
                commands.stream().filter(c -> c.get(0).equals("helm")).toList();
        assertThat(helm).hasSizeGreaterThanOrEqualTo(4);
        // --reuse-values: each upgrade adds to what the install set.
        Map<String, String> values = new LinkedHashMap<>();
        String rendered = "";
        for (List<String> command : helm) {
            assertThat(command.get(1)).isIn("install", "upgrade");
            assertThat(command.get(3)).isEqualTo("helm/vpc-flowlogs-recorder");
            if (command.get(1).equals("upgrade")) {
                assertThat(command).contains("--reuse-values");
            }
            for (int i = 0; i < command.size(); i++) {
                if (command.get(i).equals("--set")) {
                    String pair = command.get(++i);
                    values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
            }
            TemplateCommand template = new Helm(Path.of(command.get(3)))
                    .template()
                    .withName(command.get(2))
                    .withNamespace("vpc-flowlogs-recorder");
            values.forEach(template::set);
            rendered = template.call();
            assertThat(rendered).as(String.join(" ", command)).contains("kind: Deployment");
        }
        // --set gives {a,b} a meaning of its own: the pattern must reach the recorder as written.
        assertThat(rendered)
                .contains("delivery-role-arn: arn:aws:iam::{account}:role/vpc-flowlogs-recorder-delivery-{region}");
        assertThat(values)
                .containsKeys(
                        "config.recorder.regions[0]",
                        "serviceMonitor.basicAuth.password.key",
                        "config.recorder.flow-logs.delivery-role-arn");
    }
}
