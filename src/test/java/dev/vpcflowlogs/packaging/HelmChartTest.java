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
        java.util.regex.Matcher chart = java.util.regex.Pattern.compile("(?m)^javaToolOptions: \"([^\"]+)\"")
                .matcher(Files.readString(CHART.resolve("values.yaml")));

        assertThat(image.find() && chart.find()).isTrue();
        assertThat(chart.group(1))
                .as("the chart replaces JAVA_TOOL_OPTIONS, so it must keep the class data archive and the collector")
                .isEqualTo(image.group(1));
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
                .containsExactlyInAnyOrder(
                        "ServiceAccount", "ConfigMap", "Service", "Deployment", "PodDisruptionBudget");
        Map<String, Object> deployment = kind(docs, "Deployment");
        assertThat((Integer) at(deployment, "spec", "replicas")).isEqualTo(1);
        Map<String, Object> pod = at(deployment, "spec", "template", "spec");
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
    void aServiceMonitorScrapesThePrometheusEndpointWhenAsked() {
        Map<String, Object> monitor =
                kind(documents(template().set("serviceMonitor.enabled", true).call()), "ServiceMonitor");

        assertThat((String) at(monitor, "spec", "endpoints", "0", "path")).isEqualTo("/actuator/prometheus");
    }
}
