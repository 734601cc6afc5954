package dev.vpcflowlogs.recorder.e2e;

import static dev.vpcflowlogs.recorder.e2e.Events.SAMPLE_GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.kubernetes.KubernetesApi;
import dev.vpcflowlogs.recorder.report.engine.FlowRecords;
import dev.vpcflowlogs.recorder.standin.AwsStandIn;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * On EKS, the report names who sent the bytes however the cluster lays its addresses out: a pod in a prefix of the
 * VPC CNI's interface, a pod in a prefix of a node's primary interface (EKS Auto Mode, hidden from describes that do
 * not ask for managed resources), a pod on a secondary address; each by its node, and with the Kubernetes link on by
 * namespace/pod/controller as of when the recording ran, even after the node is scaled in and the address reused.
 */
class EksOwnersIT extends EndToEndSupport {

    static final String ENI = "eni-0a00000000000000a";
    static final long MB = 1L << 20;
    static final String NODE = "i-0node00000000001";
    static final String AUTO = "i-0auto00000000001";
    final FlowRecords records = new FlowRecords(FlowRecords.ORIGINAL);
    KubernetesApi kubernetes;

    @TempDir
    Path dir;

    @Override
    AwsStandIn standIn() {
        return AwsStandIn.start()
                .natGateway(SAMPLE_GATEWAY, ENI)
                .managedResourcesHidden(true)
                .eksNode(NODE, "prod", "us-east-1b", "10.0.2.10", "10.0.2.20")
                .cniInterface(NODE, "prod", "us-east-1b", 1, List.of("10.0.2.11"), List.of("10.0.3.32/28"))
                .autoModeNode(AUTO, "prod", "us-east-1a", "10.0.4.10", "10.0.4.16/28");
    }

    @AfterEach
    void closeKubernetes() {
        if (kubernetes != null) {
            kubernetes.close();
        }
    }

    /**
     * A host's line in the notification and the lines its owner wraps onto: the parts in order, broken after a comma
     * or between the pod and its node, the bytes at the end of the first line.
     */
    static String host(String address, String... parts) {
        String between = ",?(?: +[0-9.]+ [KMGT]?B)?\\s+";
        return java.util.regex.Pattern.quote(address) + " +"
                + java.util.Arrays.stream(parts)
                        .map(java.util.regex.Pattern::quote)
                        .collect(java.util.stream.Collectors.joining(between));
    }

    void deliver(List<String> lines) {
        aws.flowLogRecords(RecorderHarness.LOG_GROUP, ENI, System.currentTimeMillis(), lines);
    }

    /**
     * A spike from the three pods, its notification; once the owners are kept, {@code meanwhile} happens and the CNI
     * node is scaled in, before the report is made.
     */
    String recordSpike(Runnable meanwhile) {
        recorder.send(Events.alarm(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> aws.flowLogs().size() == 1);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> recorder.count("recorder.owners.snapshots", "result", "taken") == 1);
        meanwhile.run();
        aws.terminate(NODE);
        List<String> lines = new ArrayList<>();
        lines.addAll(records.exchange("10.0.3.37", "203.0.113.9", 443, 300 * MB, 100 * MB, null));
        lines.addAll(records.exchange("10.0.4.21", "198.51.100.4", 443, 200 * MB, 20 * MB, null));
        lines.addAll(records.exchange("10.0.2.20", "192.0.2.10", 443, 50 * MB, 10 * MB, null));
        deliver(lines);
        recorder.send(Events.ok(SAMPLE_GATEWAY, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> aws.published().size() == 1);
        return aws.published().get(0).message();
    }

    @Test
    void namesEachPodByItsNodeWithoutTheKubernetesLink() {
        recorder.with("recorder.report.delay", "1s").start();

        String message = recordSpike(() -> {});

        assertThat(message)
                .as(message)
                .containsPattern(host(
                        "10.0.3.37",
                        "EKS pod on node i-0node00000000001 (prod-node)",
                        "cluster prod",
                        "prefix 10.0.3.32/28",
                        "us-east-1b"))
                .containsPattern(host(
                        "10.0.4.21",
                        "EKS pod on node i-0auto00000000001 (prod-auto)",
                        "cluster prod",
                        "prefix 10.0.4.16/28",
                        "managed by eks.amazonaws.com",
                        "us-east-1a"))
                .containsPattern(host(
                        "10.0.2.20", "EKS pod on node i-0node00000000001 (prod-node)", "cluster prod", "us-east-1b"))
                .doesNotContain("not found");
    }

    @Test
    void namesEachPodByNamespacePodAndControllerAsOfTheRecording() throws Exception {
        kubernetes = KubernetesApi.start()
                .replicaSet("payments", "settlement-worker-7d9f", "settlement-worker")
                .pod(
                        "payments",
                        "settlement-worker-7d9f-abcde",
                        "10.0.3.37",
                        "ip-10-0-2-10",
                        "ReplicaSet",
                        "settlement-worker-7d9f")
                .job("batch", "nightly-export-29123", "nightly-export")
                .pod("batch", "nightly-export-29123-x1y2z", "10.0.4.21", "ip-10-0-4-10", "Job", "nightly-export-29123")
                .pod("web", "storefront-0", "10.0.2.20", "ip-10-0-2-10", "StatefulSet", "storefront");
        recorder.with("recorder.report.delay", "1s")
                .with("recorder.kubernetes.enabled", "true")
                .with("recorder.kubernetes.clusters[0].name", "prod")
                .with(
                        "recorder.kubernetes.clusters[0].kubeconfig",
                        kubernetes.kubeconfig(dir).toString())
                .start();
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        recorder.get("/actuator/health/kubernetes").getValue().contains("\"synced\":true"));

        // The settlement pod ends and another pod takes its address while the recording runs.
        String message = recordSpike(() -> {
            kubernetes.deletePod("payments", "settlement-worker-7d9f-abcde");
            kubernetes.pod("payments", "fraud-check-5c6d-zz9", "10.0.3.37", "ip-10-0-2-10", null, null);
        });

        assertThat(message)
                .as(message)
                .containsPattern(host(
                        "10.0.3.37",
                        "payments/settlement-worker-7d9f-abcde (Deployment settlement-worker)",
                        "EKS pod on node i-0node00000000001 (prod-node)",
                        "cluster prod",
                        "prefix 10.0.3.32/28"))
                .containsPattern(host("10.0.4.21", "batch/nightly-export-29123-x1y2z (CronJob nightly-export)"))
                .containsPattern(host("10.0.2.20", "web/storefront-0 (StatefulSet storefront)"))
                .doesNotContain("fraud-check");
        String recordingId = aws.flowLogsEverCreated().get(0).tags().get("recording-id");
        JsonNode owner = JsonMapper.builder()
                .build()
                .readTree(recorder.get("/actuator/recordings/" + recordingId).getValue())
                .path("report")
                .path("owners")
                .path("byAddress")
                .path("10.0.3.37")
                .get(0)
                .path("owner");
        assertThat(owner.path("workload").path("namespace").asString()).isEqualTo("payments");
        assertThat(owner.path("workload").path("controllerKind").asString()).isEqualTo("Deployment");
        assertThat(owner.path("prefix").asString()).isEqualTo("10.0.3.32/28");
    }
}
