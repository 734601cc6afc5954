package dev.vpcflowlogs.recorder.kubernetes;

import dev.vpcflowlogs.recorder.report.Workload;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's pods by address: informers (list, then watch, with fabric8's reconnects and resyncs) on pods,
 * ReplicaSets and Jobs in every namespace, and the pods that ended within {@code keepEnded}, by the addresses they
 * held. A pod's controller is read from its owner references: a ReplicaSet's Deployment, a Job's CronJob.
 */
final class ClusterPods implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterPods.class);

    private final String cluster;
    private final KubernetesClient client;
    private final Duration keepEnded;
    private final Clock clock;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<ReplicaSet> replicaSets;
    private final SharedIndexInformer<Job> jobs;
    /** The pods that ended, by each address they held. */
    private final Map<String, Workload> ended = new ConcurrentHashMap<>();

    private final AtomicLong watchErrors = new AtomicLong();
    private volatile @Nullable String lastError;

    ClusterPods(String cluster, KubernetesClient client, Duration keepEnded, Duration resync, Clock clock) {
        this.cluster = cluster;
        this.client = client;
        this.keepEnded = keepEnded;
        this.clock = clock;
        long resyncMillis = resync.toMillis();
        this.replicaSets = client.apps().replicaSets().inAnyNamespace().runnableInformer(resyncMillis);
        this.jobs = client.batch().v1().jobs().inAnyNamespace().runnableInformer(resyncMillis);
        this.pods = client.pods().inAnyNamespace().runnableInformer(resyncMillis);
        for (SharedIndexInformer<?> informer : List.of(replicaSets, jobs, pods)) {
            informer.exceptionHandler((started, error) -> {
                watchErrors.incrementAndGet();
                lastError = error.getMessage();
                log.warn("Kubernetes cluster {}: a list or watch failed ({}); it is tried again.", cluster, lastError);
                return true;
            });
        }
        pods.addEventHandler(new Ended());
    }

    /** Starts the informers: they list, then watch, in the background. */
    void start() {
        replicaSets.start();
        jobs.start();
        pods.start().whenComplete((done, error) -> {
            if (error == null) {
                log.info(
                        "Kubernetes cluster {}: {} pods listed; watching for changes.",
                        cluster,
                        pods.getStore().list().size());
            }
        });
    }

    String name() {
        return cluster;
    }

    boolean synced() {
        return pods.hasSynced() && replicaSets.hasSynced() && jobs.hasSynced();
    }

    /** Whether every informer's watch is open (after the first list it is opened in the background). */
    boolean watching() {
        return pods.isWatching() && replicaSets.isWatching() && jobs.isWatching();
    }

    int podCount() {
        return pods.getStore().list().size();
    }

    long watchErrors() {
        return watchErrors.get();
    }

    @Nullable
    String lastError() {
        return lastError;
    }

    /** Every running pod by address, over the pods that ended recently on addresses no pod holds now. */
    Map<String, Workload> byAddress() {
        Instant now = clock.instant();
        ended.values().removeIf(w -> w.endedAt() != null && w.endedAt().isBefore(now.minus(keepEnded)));
        Map<String, Workload> all = new HashMap<>(ended);
        for (Pod pod : pods.getStore().list()) {
            if (!isRunning(pod)) {
                continue;
            }
            Workload workload = workloadOf(pod, null);
            addressesOf(pod).forEach(ip -> all.put(ip, workload));
        }
        return all;
    }

    /** A pod that has, or may still use, its addresses: not on the node's network, not finished, not deleted. */
    private static boolean isRunning(Pod pod) {
        if (pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return false;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    private static List<String> addressesOf(Pod pod) {
        if (pod.getStatus() == null) {
            return List.of();
        }
        List<PodIP> ips = pod.getStatus().getPodIPs();
        if (ips != null && !ips.isEmpty()) {
            return ips.stream().map(PodIP::getIp).filter(Objects::nonNull).toList();
        }
        String ip = pod.getStatus().getPodIP();
        return ip == null ? List.of() : List.of(ip);
    }

    private Workload workloadOf(Pod pod, @Nullable Instant endedAt) {
        String namespace = pod.getMetadata().getNamespace();
        String kind = null;
        String name = null;
        OwnerReference owner = controllerOf(pod);
        if (owner != null) {
            kind = owner.getKind();
            name = owner.getName();
            HasMetadata parent =
                    switch (owner.getKind()) {
                        case "ReplicaSet" -> replicaSets.getStore().getByKey(namespace + "/" + owner.getName());
                        case "Job" -> jobs.getStore().getByKey(namespace + "/" + owner.getName());
                        default -> null;
                    };
            OwnerReference grandParent = parent == null ? null : controllerOf(parent);
            if (grandParent != null
                    && (grandParent.getKind().equals("Deployment")
                            || grandParent.getKind().equals("CronJob"))) {
                kind = grandParent.getKind();
                name = grandParent.getName();
            }
        }
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return new Workload(cluster, namespace, pod.getMetadata().getName(), kind, name, node, endedAt);
    }

    private static @Nullable OwnerReference controllerOf(HasMetadata resource) {
        List<OwnerReference> owners = resource.getMetadata().getOwnerReferences();
        if (owners == null) {
            return null;
        }
        return owners.stream()
                .filter(o -> Boolean.TRUE.equals(o.getController()))
                .findFirst()
                .orElse(null);
    }

    /** Keeps what a pod was when it ends, by the addresses it held: they may be another pod's a minute later. */
    private final class Ended implements ResourceEventHandler<Pod> {

        @Override
        public void onAdd(Pod pod) {
            // a pod on an address clears what an ended one left there once it runs: byAddress puts it first
        }

        @Override
        public void onUpdate(Pod before, Pod after) {
            if (isRunning(before) && !isRunning(after)) {
                endedNow(before);
            }
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            if (isRunning(pod) || !addressesOf(pod).isEmpty()) {
                endedNow(pod);
            }
        }

        private void endedNow(Pod pod) {
            Workload workload = workloadOf(pod, clock.instant());
            addressesOf(pod).forEach(ip -> ended.put(ip, workload));
        }
    }

    @Override
    public void close() {
        pods.close();
        replicaSets.close();
        jobs.close();
        client.close();
    }
}
