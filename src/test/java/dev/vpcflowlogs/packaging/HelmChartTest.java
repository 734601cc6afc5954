package dev.vpcflowlogs.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.core.io.ByteArrayResource;
import org.yaml.snakeyaml.Yaml;

/** The Helm chart, rendered and linted with Helm's own library. */
class HelmChartTest {

    static final Path CHART = Path.of("helm/vpc-flowlogs-recorder");

    @EnableConfigurationProperties(RecorderProperties.class)
    static class Properties {}

    static TemplateCommand template() {
        return new Helm(CHART)
                .template()
                .withName("recorder")
                .set("serviceAccount.roleArn", "arn:aws:iam::123456789012:role/recorder")
                .set("config.recorder.nat-gateways[0].id", "nat-0a1b2c3d4e5f60718")
                .set(
                        "config.recorder.flow-logs.delivery-role-arn",
                        "arn:aws:iam::123456789012:role/vpc-flowlogs-recorder-delivery");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String rendered) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(rendered)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    static Map<String, Object> kind(List<Map<String, Object>> documents, String kind) {
        return documents.stream()
                .filter(d -> kind.equals(d.get("kind")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            current = key.matches("\\d+")
                    ? ((List<Object>) current).get(Integer.parseInt(key))
                    : ((Map<String, Object>) current).get(key);
        }
        return (T) current;
    }

    @Test
    void theChartStartsTheJvmWithTheImagesOptions() throws Exception {
        java.util.regex.Matcher image = java.util.regex.Pattern.compile("ENV JAVA_TOOL_OPTIONS=\"([^\"]+)\"")
                .matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(image.find()).isTrue();
        List<Map<String, Object>> env = at(
                kind(documents(template().call()), "Deployment"), "spec", "template", "spec", "containers", "0", "env");

        assertThat(env)
                .as("the chart replaces JAVA_TOOL_OPTIONS, so by default it must be the image's (class data archive,"
                        + " collector, heap share)")
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("name", "JAVA_TOOL_OPTIONS")
                        .containsEntry("value", image.group(1)));
    }

    /** The JVM options the chart rendered for the recorder's container. */
    static String javaToolOptions(String rendered) {
        List<Map<String, Object>> env =
                at(kind(documents(rendered), "Deployment"), "spec", "template", "spec", "containers", "0", "env");
        return env.stream()
                .filter(e -> "JAVA_TOOL_OPTIONS".equals(e.get("name")))
                .map(e -> (String) e.get("value"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theHeapShareAndExtraJvmOptionsAreValues() {
        String options = javaToolOptions(template()
                .set("jvm.maxRamPercentage", 60)
                .set("jvm.extraOptions", "-Xss512k")
                .call());

        assertThat(options)
                .contains("-XX:MaxRAMPercentage=60", "-XX:AOTCache=vpc-flowlogs-recorder.aot")
                .endsWith(" -Xss512k");
        assertThatThrownBy(() -> template().set("jvm.maxRamPercentage", 95).call())
                .hasMessageContaining("maxRamPercentage");
    }

    @Test
    void theC1OnlyCompilerIsTheDefaultAndAValueTurnsItOff() {
        assertThat(javaToolOptions(template().set("jvm.c1Only", true).call())).contains("-XX:TieredStopAtLevel=1");
        assertThat(javaToolOptions(template().set("jvm.c1Only", false).call()))
                .doesNotContain("TieredStopAtLevel")
                .contains("-XX:+UseCompactObjectHeaders");
    }

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void theDefaultsRenderOneHardenedReplicaWithProbesOnTheHealthGroups() {
        List<Map<String, Object>> docs = documents(template().call());

        assertThat(docs)
                .extracting(d -> d.get("kind"))
                .as("one replica: no disruption budget, which could protect nothing; a volume for H2")
                .containsExactlyInAnyOrder(
                        "ServiceAccount", "ConfigMap", "Service", "Deployment", "PersistentVolumeClaim");
        Map<String, Object> deployment = kind(docs, "Deployment");
        assertThat((Integer) at(deployment, "spec", "replicas")).isEqualTo(1);
        assertThat((String) at(deployment, "spec", "strategy", "type")).isEqualTo("Recreate");
        Map<String, Object> pod = at(deployment, "spec", "template", "spec");
        assertThat((Boolean) at(pod, "automountServiceAccountToken")).isFalse();
        assertThat((Integer) at(pod, "terminationGracePeriodSeconds")).isEqualTo(90);
        Map<String, Object> claim = kind(docs, "PersistentVolumeClaim");
        assertThat((List<Map<String, Object>>) at(pod, "volumes")).anySatisfy(v -> {
            assertThat(v).containsEntry("name", "data");
            assertThat((String) at(v, "persistentVolumeClaim", "claimName")).isEqualTo(at(claim, "metadata", "name"));
        });
        assertThat((String) at(claim, "spec", "resources", "requests", "storage"))
                .isEqualTo("1Gi");
        assertThat((Boolean) at(kind(docs, "ServiceAccount"), "automountServiceAccountToken"))
                .isFalse();
        Map<String, Object> container = at(pod, "containers", "0");
        assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat((Map<String, Object>) at(container, "resources", "requests"))
                .containsEntry("cpu", "250m")
                .containsEntry("memory", "512Mi");
        assertThat((Boolean) at(container, "securityContext", "readOnlyRootFilesystem"))
                .isTrue();
        assertThat((Boolean) at(container, "securityContext", "allowPrivilegeEscalation"))
                .isFalse();
        assertThat((List<String>) at(container, "securityContext", "capabilities", "drop"))
                .containsExactly("ALL");
        assertThat((Boolean) at(pod, "securityContext", "runAsNonRoot")).isTrue();
        assertThat((List<Map<String, Object>>) at(container, "volumeMounts"))
                .extracting(m -> m.get("mountPath"))
                .containsExactlyInAnyOrder("/config", "/tmp", "/app/data");
        assertThat((List<Map<String, Object>>) at(container, "env"))
                .extracting(e -> e.get("name"))
                .containsExactly("JAVA_TOOL_OPTIONS");
        assertThat((String) at(kind(docs, "ServiceAccount"), "metadata", "annotations", "eks.amazonaws.com/role-arn"))
                .isEqualTo("arn:aws:iam::123456789012:role/recorder");
        assertThat((Integer) at(kind(docs, "Service"), "spec", "ports", "0", "port"))
                .isEqualTo(8080);
    }

    @Test
    void theMountedConfigurationIsAValidRecorderConfiguration() throws Exception {
        String yaml = at(kind(documents(template().call()), "ConfigMap"), "data", "application.yml");
        var source = new YamlPropertySourceLoader()
                .load("chart", new ByteArrayResource(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .get(0);

        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        ConfigurationPropertiesAutoConfiguration.class, ValidationAutoConfiguration.class))
                .withUserConfiguration(Properties.class)
                .withInitializer(c -> c.getEnvironment().getPropertySources().addFirst(source))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(RecorderProperties.class).listed("nat-0a1b2c3d4e5f60718"))
                            .isPresent();
                });
    }

    @Test
    void moreThanOneReplicaWithoutPostgresqlIsRefused() {
        assertThatThrownBy(() -> template().set("replicaCount", 2).call())
                .hasMessageContaining("replicaCount > 1 needs PostgreSQL");
    }

    @Test
    void severalReplicasShareAPostgresqlStoreWhosePasswordComesFromASecret() {
        List<Map<String, Object>> docs = documents(template()
                .set("replicaCount", 3)
                .set("database.url", "jdbc:postgresql://db.internal:5432/recorder")
                .set("database.username", "recorder")
                .set("database.existingSecret", "recorder-db")
                .call());

        Map<String, Object> deployment = kind(docs, "Deployment");
        assertThat((Integer) at(deployment, "spec", "replicas")).isEqualTo(3);
        assertThat((String) at(deployment, "spec", "strategy", "type")).isEqualTo("RollingUpdate");
        assertThat((Integer) at(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"))
                .isZero();
        assertThat(docs).extracting(d -> d.get("kind")).doesNotContain("PersistentVolumeClaim");
        Map<String, Object> budget = kind(docs, "PodDisruptionBudget");
        assertThat((Integer) at(budget, "spec", "maxUnavailable")).isEqualTo(1);
        assertThat((String) at(budget, "spec", "unhealthyPodEvictionPolicy")).isEqualTo("AlwaysAllow");
        List<Map<String, Object>> env = at(deployment, "spec", "template", "spec", "containers", "0", "env");
        assertThat(env)
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("name", "SPRING_DATASOURCE_URL")
                        .containsEntry("value", "jdbc:postgresql://db.internal:5432/recorder"))
                .anySatisfy(e -> {
                    assertThat(e).containsEntry("name", "SPRING_DATASOURCE_PASSWORD");
                    assertThat((String) at(e, "valueFrom", "secretKeyRef", "name"))
                            .isEqualTo("recorder-db");
                });
    }

    @Test
    void consoleUsersTakeTheirPasswordHashesFromASecretNeverFromTheValues() {
        List<Map<String, Object>> docs = documents(template()
                .set("console.users[0].name", "alice")
                .set("console.users[0].role", "operator")
                .set("console.users[0].existingSecret", "recorder-console")
                .set("console.users[1].name", "bob")
                .set("console.users[1].existingSecret", "recorder-console")
                .set("console.users[1].passwordKey", "bobs-hash")
                .set("console.openPrometheus", false)
                .call());

        List<Map<String, Object>> env =
                at(kind(docs, "Deployment"), "spec", "template", "spec", "containers", "0", "env");
        assertThat(env)
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("name", "RECORDER_CONSOLE_USERS_0_ROLE")
                        .containsEntry("value", "operator"))
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("name", "RECORDER_CONSOLE_USERS_1_ROLE")
                        .containsEntry("value", "viewer"))
                .anySatisfy(e -> {
                    assertThat(e).containsEntry("name", "RECORDER_CONSOLE_USERS_1_PASSWORD");
                    assertThat((Map<String, Object>) at(e, "valueFrom", "secretKeyRef"))
                            .containsEntry("name", "recorder-console")
                            .containsEntry("key", "bobs-hash");
                })
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("name", "RECORDER_CONSOLE_OPENPROMETHEUS")
                        .containsEntry("value", "false"));
        assertThatThrownBy(() -> template()
                        .set("console.users[0].name", "alice")
                        .set("console.users[0].password", "plain text")
                        .call())
                .as("a password in the values is refused")
                .hasMessageContaining("password");
    }

    @Test
    void theSchemaRejectsValuesThatCannotWork() {
        assertThatThrownBy(() -> template().set("replicaCount", 0).call()).hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> template()
                        .set("config.recorder.nat-gateways[0].id", "igw-1")
                        .call())
                .hasMessageContaining("nat-gateways");
        assertThatThrownBy(() -> template()
                        .set("database.url", "jdbc:mysql://db/recorder")
                        .call())
                .hasMessageContaining("database");
        assertThatThrownBy(() -> template().set("imageTag", "x").call()).hasMessageContaining("imageTag");
    }

    @Test
    void aServiceMonitorIsMadeOnlyWhereItsCrdIsServedUnlessTheCheckIsSkipped() {
        // helm template knows no cluster: the CRD is not among its API versions.
        assertThat(documents(template().set("serviceMonitor.enabled", true).call()))
                .extracting(d -> d.get("kind"))
                .doesNotContain("ServiceMonitor");

        Map<String, Object> monitor = kind(
                documents(template()
                        .set("serviceMonitor.enabled", true)
                        .set("serviceMonitor.skipCrdCheck", true)
                        .call()),
                "ServiceMonitor");

        assertThat((String) at(monitor, "spec", "endpoints", "0", "path")).isEqualTo("/actuator/prometheus");
    }

    @Test
    void valuesWithoutASafeDefaultAreRequiredWhenRendering() {
        TemplateCommand noRole = new Helm(CHART)
                .template()
                .withName("recorder")
                .set("config.recorder.nat-gateways[0].id", "nat-0a1b2c3d4e5f60718");
        assertThatThrownBy(noRole::call)
                .hasMessageContaining("config.recorder.flow-logs.delivery-role-arn is required");

        TemplateCommand noGateway = new Helm(CHART)
                .template()
                .withName("recorder")
                .set("config.recorder.flow-logs.delivery-role-arn", "arn:aws:iam::123456789012:role/d");
        assertThatThrownBy(noGateway::call).hasMessageContaining("config.recorder.nat-gateways is required");

        // Discovery by tag names the gateways instead.
        assertThat(documents(noGateway
                        .set("config.recorder.discovery.tags.flowlogs-recorder", "enabled")
                        .call()))
                .extracting(d -> d.get("kind"))
                .contains("Deployment");
    }

    @Test
    void theImageTagDefaultsToTheChartsAppVersion() throws Exception {
        String appVersion = new Yaml()
                .<Map<String, Object>>load(Files.readString(CHART.resolve("Chart.yaml")))
                .get("appVersion")
                .toString();
        Map<String, Object> deployment = kind(documents(template().call()), "Deployment");

        assertThat((String) at(deployment, "spec", "template", "spec", "containers", "0", "image"))
                .isEqualTo("vpc-flowlogs-recorder:" + appVersion);
        assertThat((String) at(
                        kind(documents(template().set("image.tag", "0.1.1").call()), "Deployment"),
                        "spec",
                        "template",
                        "spec",
                        "containers",
                        "0",
                        "image"))
                .isEqualTo("vpc-flowlogs-recorder:0.1.1");
    }

    @Test
    void aServiceMonitorScrapesWithBasicAuthWhenPrometheusIsClosed() {
        Map<String, Object> monitor = kind(
                documents(template()
                        .set("console.openPrometheus", false)
                        .set("serviceMonitor.enabled", true)
                        .set("serviceMonitor.skipCrdCheck", true)
                        .set("serviceMonitor.basicAuth.username.name", "recorder-scraper")
                        .set("serviceMonitor.basicAuth.username.key", "username")
                        .set("serviceMonitor.basicAuth.password.name", "recorder-scraper")
                        .set("serviceMonitor.basicAuth.password.key", "password")
                        .call()),
                "ServiceMonitor");

        assertThat((Map<String, Object>) at(monitor, "spec", "endpoints", "0", "basicAuth"))
                .isEqualTo(Map.of(
                        "username", Map.of("name", "recorder-scraper", "key", "username"),
                        "password", Map.of("name", "recorder-scraper", "key", "password")));
        assertThatThrownBy(() -> template()
                        .set("serviceMonitor.basicAuth.username.name", "recorder-scraper")
                        .set("serviceMonitor.basicAuth.username.key", "username")
                        .call())
                .hasMessageContaining("password");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKubernetesLinkAddsReadOnlyRbacAndTheTokenOnlyWhenEnabled() {
        List<Map<String, Object>> off = documents(template().call());
        assertThat(off).extracting(d -> d.get("kind")).doesNotContain("ClusterRole", "ClusterRoleBinding");
        assertThat((Object) at(kind(off, "Deployment"), "spec", "template", "spec", "automountServiceAccountToken"))
                .isEqualTo(false);

        List<Map<String, Object>> on = documents(template()
                .set("kubernetes.enabled", true)
                .set("kubernetes.clusterName", "prod")
                .call());
        Map<String, Object> role = kind(on, "ClusterRole");
        List<Map<String, Object>> rules = at(role, "rules");
        assertThat(rules).allSatisfy(rule -> assertThat((List<String>) rule.get("verbs"))
                .containsExactly("get", "list", "watch"));
        assertThat(rules)
                .extracting(rule -> ((List<String>) rule.get("resources")).get(0))
                .containsExactly("pods", "replicasets", "jobs");
        Map<String, Object> binding = kind(on, "ClusterRoleBinding");
        assertThat((Object) at(binding, "subjects", "0", "name")).isEqualTo("recorder");
        assertThat((Object) at(binding, "roleRef", "name")).isEqualTo(at(role, "metadata", "name"));
        Map<String, Object> pod = at(kind(on, "Deployment"), "spec", "template", "spec");
        assertThat((Object) at(pod, "automountServiceAccountToken")).isEqualTo(true);
        assertThat((List<Map<String, Object>>) at(pod, "containers", "0", "env"))
                .contains(
                        Map.of("name", "RECORDER_KUBERNETES_ENABLED", "value", "true"),
                        Map.of("name", "RECORDER_KUBERNETES_CLUSTERS_0_NAME", "value", "prod"));
    }

    @Test
    void aNetworkPolicyAdmitsOnlyThePeersGiven() {
        assertThat(documents(template().call())).extracting(d -> d.get("kind")).doesNotContain("NetworkPolicy");

        Map<String, Object> open = kind(
                documents(template()
                        .set("networkPolicy.enabled", true)
                        .set(
                                "networkPolicy.from[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name",
                                "monitoring")
                        .call()),
                "NetworkPolicy");
        assertThat((List<String>) at(open, "spec", "policyTypes")).containsExactly("Ingress");
        assertThat((Map<String, Object>) at(open, "spec", "podSelector", "matchLabels"))
                .containsEntry("app.kubernetes.io/instance", "recorder");
        assertThat((Map<String, Object>)
                        at(open, "spec", "ingress", "0", "from", "0", "namespaceSelector", "matchLabels"))
                .containsEntry("kubernetes.io/metadata.name", "monitoring");
        assertThat((Object) at(open, "spec", "ingress", "0", "ports", "0", "port"))
                .isEqualTo("http");

        Map<String, Object> closed =
                kind(documents(template().set("networkPolicy.enabled", true).call()), "NetworkPolicy");
        assertThat((List<Object>) at(closed, "spec", "ingress")).isEmpty();
    }

    @Test
    void theDeployGuideStatesTheHeapShareTheValuesSet() throws Exception {
        Map<String, Object> values = new Yaml().load(Files.readString(CHART.resolve("values.yaml")));
        Object share = ((Map<String, Object>) values.get("jvm")).get("maxRamPercentage");

        assertThat(Files.readString(Path.of("docs/deploy.md")))
                .contains("`jvm.maxRamPercentage` (default " + share + ")")
                .doesNotContainPattern("`jvm\\.maxRamPercentage` \\(default (?!" + share + "\\))");
    }

    @Test
    void anH2StoreWithoutPersistenceIsAnEmptyDirStillReplacedWithRecreate() {
        List<Map<String, Object>> docs =
                documents(template().set("persistence.enabled", false).call());
        Map<String, Object> deployment = kind(docs, "Deployment");

        assertThat(docs).extracting(d -> d.get("kind")).doesNotContain("PersistentVolumeClaim");
        assertThat((String) at(deployment, "spec", "strategy", "type")).isEqualTo("Recreate");
        assertThat((List<Map<String, Object>>) at(deployment, "spec", "template", "spec", "volumes"))
                .anySatisfy(v -> assertThat(v).containsEntry("name", "data").containsKey("emptyDir"));
        assertThat(documents(template()
                        .set("persistence.existingClaim", "recorder-h2")
                        .call()))
                .extracting(d -> d.get("kind"))
                .doesNotContain("PersistentVolumeClaim");
    }

    @Test
    void theConventionsOperatorsExpectAreValues(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path values = Files.writeString(
                dir.resolve("values.yaml"),
                """
                image:
                  digest: sha256:%s
                imagePullSecrets: [{name: registry}]
                priorityClassName: platform-critical
                podLabels: {team: sre}
                extraEnv: [{name: LOGGING_LEVEL_ROOT, value: WARN}]
                envFrom: [{secretRef: {name: recorder-extra}}]
                extraVolumes: [{name: ca, configMap: {name: corporate-ca}}]
                extraVolumeMounts: [{name: ca, mountPath: /etc/ca, readOnly: true}]
                topologySpreadConstraints:
                  - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}
                terminationGracePeriodSeconds: 120
                """
                        .formatted("a".repeat(64)));
        List<Map<String, Object>> docs =
                documents(template().withValuesFile(values).call());
        Map<String, Object> pod = at(kind(docs, "Deployment"), "spec", "template");
        Map<String, Object> container = at(pod, "spec", "containers", "0");

        assertThat((String) at(container, "image")).isEqualTo("vpc-flowlogs-recorder@sha256:" + "a".repeat(64));
        assertThat((String) at(pod, "spec", "imagePullSecrets", "0", "name")).isEqualTo("registry");
        assertThat((String) at(pod, "spec", "priorityClassName")).isEqualTo("platform-critical");
        assertThat((Map<String, Object>) at(pod, "metadata", "labels")).containsEntry("team", "sre");
        assertThat((List<Map<String, Object>>) at(container, "env"))
                .anySatisfy(e -> assertThat(e).containsEntry("name", "LOGGING_LEVEL_ROOT"));
        assertThat((String) at(container, "envFrom", "0", "secretRef", "name")).isEqualTo("recorder-extra");
        assertThat((List<Map<String, Object>>) at(pod, "spec", "volumes"))
                .anySatisfy(v -> assertThat(v).containsEntry("name", "ca"));
        assertThat((List<Map<String, Object>>) at(container, "volumeMounts"))
                .anySatisfy(m -> assertThat(m).containsEntry("mountPath", "/etc/ca"));
        assertThat((String) at(pod, "spec", "topologySpreadConstraints", "0", "topologyKey"))
                .isEqualTo("topology.kubernetes.io/zone");
        assertThat((Integer) at(pod, "spec", "terminationGracePeriodSeconds")).isEqualTo(120);
        // The selector stays the chart's: a label of the operator's never breaks an upgrade.
        assertThat((Map<String, Object>) at(kind(docs, "Deployment"), "spec", "selector", "matchLabels"))
                .doesNotContainKey("team");
    }

    @Test
    void helmTestAsksTheServiceForReadinessWithTheRecordersImage(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path test = Path.of("templates/tests/readiness.yaml");
        String source = Files.readString(CHART.resolve(test));
        assertThat(source).contains("helm.sh/hook: test");
        // Helm's library renders no hooks in a template: a copy without the hook's annotations renders the pod.
        Path copy = dir.resolve("chart");
        copy(CHART, copy);
        Files.writeString(copy.resolve(test), source.replaceAll("(?m)^\\s+helm\\.sh/hook.*$\\n", ""));

        Map<String, Object> pod = kind(
                documents(new Helm(copy)
                        .template()
                        .withName("recorder")
                        .withNamespace("platform")
                        .set("config.recorder.nat-gateways[0].id", "nat-0a1b2c3d4e5f60718")
                        .set("config.recorder.flow-logs.delivery-role-arn", "arn:aws:iam::123456789012:role/d")
                        .call()),
                "Pod");

        assertThat((String) at(pod, "spec", "containers", "0", "image")).isEqualTo("vpc-flowlogs-recorder:0.1.0");
        assertThat(String.valueOf((Object) at(pod, "spec", "containers", "0", "command")))
                .contains("/dev/tcp/recorder.platform.svc/8080", "GET /actuator/health/readiness");
        assertThat((Boolean) at(pod, "spec", "containers", "0", "securityContext", "readOnlyRootFilesystem"))
                .isTrue();
        assertThat((Boolean) at(pod, "spec", "automountServiceAccountToken")).isFalse();
    }

    @Test
    void itRendersAsADependencyOfAnotherChartWithGlobalValues(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path parent = Files.createDirectories(dir.resolve("platform"));
        Files.writeString(
                parent.resolve("Chart.yaml"),
                """
                apiVersion: v2
                name: platform
                version: 1.0.0
                dependencies:
                  - name: vpc-flowlogs-recorder
                    version: "*"
                """);
        Files.writeString(
                parent.resolve("values.yaml"),
                """
                global:
                  imageRegistry: registry.internal
                vpc-flowlogs-recorder:
                  serviceAccount: {roleArn: "arn:aws:iam::123456789012:role/recorder"}
                  config:
                    recorder:
                      nat-gateways: [{id: nat-0a1b2c3d4e5f60718}]
                      flow-logs: {delivery-role-arn: "arn:aws:iam::123456789012:role/delivery"}
                """);
        copy(CHART, parent.resolve("charts/vpc-flowlogs-recorder"));

        List<Map<String, Object>> docs =
                documents(new Helm(parent).template().withName("platform").call());

        assertThat(docs).extracting(d -> d.get("kind")).contains("Deployment", "PersistentVolumeClaim");
    }

    static void copy(Path from, Path to) throws java.io.IOException {
        try (var paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
