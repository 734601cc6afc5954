/**
 * Workload names from Kubernetes (optional, {@code recorder.kubernetes.enabled}): a live index of each linked cluster's
 * pods by address (list and watch through fabric8's informers), with the controller that runs each (a Deployment
 * through its ReplicaSet, a CronJob through its Job), and the pods that ended a short while ago. It gives the
 * {@code report} module's {@code Workloads}, read when a recording's owners are kept. Read-only: it gets, lists and
 * watches pods, ReplicaSets and Jobs.
 */
@NullMarked
package dev.vpcflowlogs.recorder.kubernetes;

import org.jspecify.annotations.NullMarked;
