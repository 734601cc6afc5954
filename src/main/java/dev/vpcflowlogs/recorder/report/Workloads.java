package dev.vpcflowlogs.recorder.report;

import java.util.Map;

/**
 * Kubernetes' names for the VPC's addresses (the {@code kubernetes} module, when {@code recorder.kubernetes.enabled}):
 * read when a recording's owners are kept, beside who holds each address in EC2.
 */
public interface Workloads {

    /** None: no cluster is linked. */
    Workloads NONE = Map::of;

    /**
     * The pod on each address now, and for an address no pod holds now, the last pod that held it if it ended a short
     * while ago. Pods on their node's network are left out: their address is the node's.
     */
    Map<String, Workload> byAddress();
}
