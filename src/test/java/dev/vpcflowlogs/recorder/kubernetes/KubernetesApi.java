package dev.vpcflowlogs.recorder.kubernetes;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.UUID;

/**
 * A Kubernetes API for the tests: fabric8's mock server in CRUD mode (it lists, watches, creates and deletes as the API
 * server does), with the objects a workload is made of: a Deployment's ReplicaSet and its pods, a CronJob's Job and
 * its pod, a bare pod, a pod on its node's network.
 */
public final class KubernetesApi implements AutoCloseable {

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private KubernetesApi() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient(b -> b.withHttpClientBuilderConsumer(http -> http.preferHttp11()));
    }

    public static KubernetesApi start() {
        return new KubernetesApi();
    }

    public KubernetesClient client() {
        return client;
    }

    /** A kubeconfig file that reaches this API (plain HTTP, a static token), for the recorder's configuration. */
    public Path kubeconfig(Path dir) throws IOException {
        String url = "http://" + server.getHostName() + ":" + server.getPort();
        Path file = dir.resolve("kubeconfig-" + UUID.randomUUID());
        Files.writeString(
                file,
                """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                contexts:
                - name: test
                  context:
                    cluster: test
                    user: reader
                current-context: test
                users:
                - name: reader
                  user:
                    token: test-token
                """
                        .formatted(url));
        return file;
    }

    /** A Deployment's ReplicaSet ({@code <deployment>-<hash>}). */
    public KubernetesApi replicaSet(String namespace, String name, String deployment) {
        client.apps()
                .replicaSets()
                .inNamespace(namespace)
                .resource(new ReplicaSetBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .withOwnerReferences(new OwnerReferenceBuilder()
                                .withApiVersion("apps/v1")
                                .withKind("Deployment")
                                .withName(deployment)
                                .withUid(UUID.randomUUID().toString())
                                .withController(true)
                                .build())
                        .endMetadata()
                        .build())
                .create();
        return this;
    }

    /** A CronJob's Job. */
    public KubernetesApi job(String namespace, String name, String cronJob) {
        client.batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .resource(new JobBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(namespace)
                        .withOwnerReferences(new OwnerReferenceBuilder()
                                .withApiVersion("batch/v1")
                                .withKind("CronJob")
                                .withName(cronJob)
                                .withUid(UUID.randomUUID().toString())
                                .withController(true)
                                .build())
                        .endMetadata()
                        .build())
                .create();
        return this;
    }

    /** A running pod on this address, run by the controller of this kind and name (none: null). */
    public KubernetesApi pod(
            String namespace, String name, String ip, String node, String ownerKind, String ownerName) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP(ip)
                .addNewPodIP(ip)
                .endStatus();
        if (ownerKind != null) {
            pod.editMetadata()
                    .withOwnerReferences(new OwnerReferenceBuilder()
                            .withApiVersion(ownerKind.equals("Job") ? "batch/v1" : "apps/v1")
                            .withKind(ownerKind)
                            .withName(ownerName)
                            .withUid(UUID.randomUUID().toString())
                            .withController(true)
                            .build())
                    .endMetadata();
        }
        client.pods().inNamespace(namespace).resource(pod.build()).create();
        return this;
    }

    /** A pod on its node's network: its address is the node's. */
    public KubernetesApi hostNetworkPod(String namespace, String name, String nodeIp, String node) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withHostNetwork(true)
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP(nodeIp)
                .addNewPodIP(nodeIp)
                .endStatus()
                .build();
        client.pods().inNamespace(namespace).resource(pod).create();
        return this;
    }

    public KubernetesApi deletePod(String namespace, String name) {
        client.pods().inNamespace(namespace).withName(name).delete();
        return this;
    }

    /** The pod's containers finished (a Job's pod): its address is free again. */
    public KubernetesApi succeeded(String namespace, String name) {
        client.pods().inNamespace(namespace).withName(name).editStatus(p -> new PodBuilder(p)
                .editStatus()
                .withPhase("Succeeded")
                .endStatus()
                .build());
        return this;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
