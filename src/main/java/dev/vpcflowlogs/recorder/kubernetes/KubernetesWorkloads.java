package dev.vpcflowlogs.recorder.kubernetes;

import dev.vpcflowlogs.recorder.report.Workload;
import dev.vpcflowlogs.recorder.report.Workloads;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The linked clusters' pods, for the report's owners: one {@link ClusterPods} per cluster, started with the
 * application (without holding up its readiness) and closed with it. Health {@code kubernetes} says, per cluster,
 * whether its pods are listed and watched; it is not part of readiness, since the link only adds names.
 */
@Component("kubernetesHealthIndicator")
@ConditionalOnBooleanProperty("recorder.kubernetes.enabled")
class KubernetesWorkloads implements Workloads, SmartLifecycle, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(KubernetesWorkloads.class);

    private final List<ClusterPods> clusters = new ArrayList<>();
    private volatile boolean running;

    KubernetesWorkloads(
            KubernetesProperties properties, EksTokens tokens, java.time.Clock clock, MeterRegistry meters) {
        for (KubernetesProperties.Cluster cluster : properties.clustersToWatch()) {
            // HTTP/1.1: the JDK client would try an h2c upgrade on a plain-HTTP endpoint, which API servers and
            // proxies refuse; three watches need no multiplexing.
            KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(config(cluster, tokens))
                    .withHttpClientBuilderConsumer(http -> http.preferHttp11())
                    .build();
            ClusterPods pods =
                    new ClusterPods(cluster.name(), client, properties.keepEnded(), properties.resync(), clock);
            clusters.add(pods);
            Gauge.builder("recorder.kubernetes.pods", pods, ClusterPods::podCount)
                    .description("Pods of a linked cluster the recorder knows")
                    .tag("cluster", cluster.name())
                    .register(meters);
            Gauge.builder("recorder.kubernetes.watch.errors", pods, p -> p.watchErrors())
                    .description("Lists and watches of a linked cluster that failed (each is tried again)")
                    .tag("cluster", cluster.name())
                    .register(meters);
        }
    }

    /** How the client reaches the cluster: its kubeconfig, its endpoint, or where the recorder runs. */
    static Config config(KubernetesProperties.Cluster cluster, EksTokens tokens) {
        Config config;
        if (cluster.kubeconfig() != null) {
            File file = new File(cluster.kubeconfig());
            if (!file.canRead()) {
                throw new IllegalArgumentException("recorder.kubernetes.clusters: the kubeconfig of cluster "
                        + cluster.name() + " cannot be read: " + file.getAbsolutePath());
            }
            config = Config.fromKubeconfig(cluster.context(), file);
        } else if (cluster.endpoint() != null) {
            config = new ConfigBuilder(Config.empty())
                    .withMasterUrl(cluster.endpoint())
                    .withCaCertData(cluster.certificateAuthorityData())
                    .build();
        } else {
            config = Config.autoConfigure(cluster.context());
        }
        KubernetesProperties.Eks eks = cluster.eks();
        if (eks != null) {
            config.setOauthTokenProvider(() -> tokens.token(eks.clusterName(), eks.region(), eks.roleArn()));
        }
        return config;
    }

    @Override
    public Map<String, Workload> byAddress() {
        if (clusters.size() == 1) {
            return clusters.get(0).byAddress();
        }
        Map<String, Workload> all = new HashMap<>();
        clusters.forEach(
                c -> c.byAddress().forEach((ip, w) -> all.merge(ip, w, (a, b) -> a.endedAt() == null ? a : b)));
        return all;
    }

    @Override
    public void start() {
        clusters.forEach(c -> {
            log.info("Kubernetes cluster {}: listing and watching its pods for the reports' owners.", c.name());
            c.start();
        });
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        clusters.forEach(ClusterPods::close);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean all = true;
        for (ClusterPods c : clusters) {
            Map<String, Object> cluster = new LinkedHashMap<>();
            cluster.put("synced", c.synced());
            cluster.put("pods", c.podCount());
            if (c.lastError() != null) {
                cluster.put("lastError", c.lastError());
            }
            details.put(c.name(), cluster);
            all &= c.synced();
        }
        return (all ? Health.up() : Health.unknown()).withDetails(details).build();
    }
}
