package dev.vpcflowlogs.recorder.report;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The Kubernetes pod that held an address, as the cluster's API told it when the owners were kept: pod addresses are
 * reused within minutes, so the name is the one of that time.
 *
 * @param controllerKind what runs the pod: {@code Deployment} (through its ReplicaSet), {@code CronJob} (through its
 *     Job), {@code StatefulSet}, {@code DaemonSet}, {@code Job}, {@code ReplicaSet}; null for a bare pod
 * @param node the node it ran on
 * @param endedAt when the pod ended, if it had ended before the owners were kept (its address may be another's since)
 */
public record Workload(
        String cluster,
        String namespace,
        String pod,
        @Nullable String controllerKind,
        @Nullable String controllerName,
        @Nullable String node,
        @Nullable Instant endedAt) {

    /** "payments/settlement-worker-7d9f (Deployment settlement-worker)", and when it ended, if it had. */
    public String label() {
        String name = namespace + "/" + pod
                + (controllerKind == null ? "" : " (" + controllerKind + " " + controllerName + ")");
        return endedAt == null ? name : name + ", a pod that had ended at " + endedAt;
    }
}
