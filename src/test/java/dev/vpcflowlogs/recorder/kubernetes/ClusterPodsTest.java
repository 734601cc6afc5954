package dev.vpcflowlogs.recorder.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vpcflowlogs.recorder.MutableClock;
import dev.vpcflowlogs.recorder.report.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A cluster's pods by address, listed and then watched from a Kubernetes API (fabric8's mock server, CRUD mode). */
class ClusterPodsTest {

    KubernetesApi api;
    MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    ClusterPods pods;

    @BeforeEach
    void setUp() {
        api = KubernetesApi.start()
                .replicaSet("payments", "settlement-worker-7d9f", "settlement-worker")
                .pod(
                        "payments",
                        "settlement-worker-7d9f-abcde",
                        "10.0.3.37",
                        "ip-10-0-2-10",
                        "ReplicaSet",
                        "settlement-worker-7d9f")
                .job("batch", "nightly-export-29123", "nightly-export")
                .pod("batch", "nightly-export-29123-x1y2z", "10.0.3.40", "ip-10-0-2-10", "Job", "nightly-export-29123")
                .pod("default", "debug", "10.0.3.41", "ip-10-0-2-10", null, null)
                .hostNetworkPod("kube-system", "aws-node-q7w8e", "10.0.2.10", "ip-10-0-2-10");
    }

    @AfterEach
    void tearDown() {
        if (pods != null) {
            pods.close();
        }
        api.close();
    }

    void watch() {
        pods = new ClusterPods("prod", api.client(), Duration.ofMinutes(15), Duration.ofMinutes(10), clock);
        pods.start();
        // Listed, and the watches open: a watch still being opened when the test ends outlives the client's close,
        // and the mock server then waits for it past its own 10 s ("Unable to close MockWebServer").
        await().atMost(Duration.ofSeconds(10)).until(() -> pods.synced() && pods.watching());
    }

    @Test
    void namesEachPodByNamespaceNameAndTheControllerThatRunsIt() {
        watch();

        Map<String, Workload> byAddress = pods.byAddress();

        assertThat(byAddress.get("10.0.3.37").label())
                .isEqualTo("payments/settlement-worker-7d9f-abcde (Deployment settlement-worker)");
        assertThat(byAddress.get("10.0.3.37").node()).isEqualTo("ip-10-0-2-10");
        assertThat(byAddress.get("10.0.3.40").label())
                .isEqualTo("batch/nightly-export-29123-x1y2z (CronJob nightly-export)");
        assertThat(byAddress.get("10.0.3.41").label()).isEqualTo("default/debug");
        assertThat(byAddress).as("a pod on its node's network").doesNotContainKey("10.0.2.10");
    }

    @Test
    void anAddressKeepsThePodThatEndedUntilAnotherTakesIt() {
        watch();

        api.deletePod("payments", "settlement-worker-7d9f-abcde");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pods.byAddress().get("10.0.3.37").endedAt() != null);
        assertThat(pods.byAddress().get("10.0.3.37").label())
                .isEqualTo("payments/settlement-worker-7d9f-abcde (Deployment settlement-worker), a pod that had ended"
                        + " at 2026-12-05T10:00:00Z");

        api.pod(
                "payments",
                "settlement-worker-7d9f-fghij",
                "10.0.3.37",
                "ip-10-0-2-11",
                "ReplicaSet",
                "settlement-worker-7d9f");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pods.byAddress().get("10.0.3.37").pod().equals("settlement-worker-7d9f-fghij"));
        assertThat(pods.byAddress().get("10.0.3.37").endedAt()).isNull();
    }

    @Test
    void aFinishedPodLeavesItsAddressAndIsForgottenAfterKeepEnded() {
        watch();

        api.succeeded("batch", "nightly-export-29123-x1y2z");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pods.byAddress().get("10.0.3.40").endedAt() != null);

        clock.advance(Duration.ofMinutes(16));
        assertThat(pods.byAddress()).doesNotContainKey("10.0.3.40");
    }

    @Test
    void podsCreatedAfterTheListArriveByTheWatch() {
        watch();

        api.pod("payments", "ledger-0", "10.0.3.50", "ip-10-0-2-10", "StatefulSet", "ledger");

        await().atMost(Duration.ofSeconds(10)).until(() -> pods.byAddress().containsKey("10.0.3.50"));
        assertThat(pods.byAddress().get("10.0.3.50").label()).isEqualTo("payments/ledger-0 (StatefulSet ledger)");
    }
}
