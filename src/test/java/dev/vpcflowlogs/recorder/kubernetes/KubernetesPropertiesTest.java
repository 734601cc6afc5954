package dev.vpcflowlogs.recorder.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.core.io.FileSystemResource;

/** {@code recorder.kubernetes.*}: off by default, the example's values the defaults, a bad cluster refused by name. */
class KubernetesPropertiesTest {

    @EnableConfigurationProperties(KubernetesProperties.class)
    static class Properties {}

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ConfigurationPropertiesAutoConfiguration.class, ValidationAutoConfiguration.class))
            .withUserConfiguration(Properties.class);

    @Test
    void isOffByDefaultAndWatchesTheClusterItRunsInWhenNoneIsListed() {
        runner.run(context -> {
            KubernetesProperties p = context.getBean(KubernetesProperties.class);
            assertThat(p.enabled()).isFalse();
            assertThat(p.keepEnded()).isEqualTo(Duration.ofMinutes(15));
            assertThat(p.clustersToWatch()).singleElement().satisfies(c -> {
                assertThat(c.name()).isEqualTo("this-cluster");
                assertThat(c.kubeconfig()).isNull();
                assertThat(c.endpoint()).isNull();
            });
        });
    }

    @Test
    void theExampleFileShowsTheDefaults() throws Exception {
        var example = new YamlPropertySourceLoader()
                .load("example", new FileSystemResource("application.yml.example"))
                .get(0);
        runner.withInitializer(c -> c.getEnvironment().getPropertySources().addFirst(example))
                .run(shown -> runner.run(defaults -> assertThat(shown.getBean(KubernetesProperties.class))
                        .isEqualTo(defaults.getBean(KubernetesProperties.class))));
    }

    @Test
    void anEndpointWithoutItsCertificateAuthorityStopsStartUpNamingTheProperty() {
        runner.withPropertyValues(
                        "recorder.kubernetes.enabled=true",
                        "recorder.kubernetes.clusters[0].name=staging",
                        "recorder.kubernetes.clusters[0].endpoint=https://ABCDEF.gr7.us-east-1.eks.amazonaws.com")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("recorder.kubernetes.clusters[0].endpointTrusted")
                        .hasMessageContaining("an endpoint needs its certificate-authority-data"));
    }

    @Test
    void aClusterNameReportsCannotShowIsRefused() {
        runner.withPropertyValues("recorder.kubernetes.clusters[0].name=prod cluster")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("recorder.kubernetes.clusters[0].name"));
    }
}
