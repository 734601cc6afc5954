package dev.vpcflowlogs.recorder.kubernetes;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code recorder.kubernetes.*}: the clusters whose pods name the VPC's addresses. Off by default.
 *
 * @param clusters the clusters to watch; none: the one the recorder runs in (its service account), or else the
 *     kubeconfig's current context
 * @param keepEnded how long the address of a pod that ended still names it (addresses are reused within minutes)
 * @param resync how often the informers go over what they hold again
 */
@Validated
@ConfigurationProperties("recorder.kubernetes")
record KubernetesProperties(
        @DefaultValue("false") boolean enabled,
        List<@Valid @NotNull Cluster> clusters,
        @DefaultValue("15m") @DurationMin(seconds = 0) Duration keepEnded,
        @DefaultValue("10m") @DurationMin(minutes = 1) Duration resync) {

    KubernetesProperties {
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
    }

    /** The clusters to watch: those listed, or the one found where the recorder runs. */
    List<Cluster> clustersToWatch() {
        return clusters.isEmpty() ? List.of(new Cluster("this-cluster", null, null, null, null, null)) : clusters;
    }

    /**
     * One cluster, reached one of three ways: a kubeconfig file (and context), an API endpoint with its certificate
     * authority, or, with neither, the service account of the pod the recorder runs in (else the usual kubeconfig).
     *
     * @param name how reports and health name it
     * @param certificateAuthorityData the endpoint's CA, base64 PEM, as EKS's DescribeCluster gives it
     * @param eks authenticate with an EKS token made from the recorder's AWS credentials (no {@code aws} CLI needed)
     */
    record Cluster(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.-]{0,99}") String name,
            @Nullable String kubeconfig,
            @Nullable String context,
            @Nullable @Pattern(regexp = "https://.+") String endpoint,
            @Nullable String certificateAuthorityData,
            @Nullable @Valid Eks eks) {

        @AssertTrue(message = "give a kubeconfig or an endpoint, not both")
        boolean isOneWayIn() {
            return kubeconfig == null || endpoint == null;
        }

        @AssertTrue(message = "an endpoint needs its certificate-authority-data")
        boolean isEndpointTrusted() {
            return endpoint == null || (certificateAuthorityData != null && !certificateAuthorityData.isBlank());
        }
    }

    /**
     * EKS authentication: a token that is a presigned STS GetCallerIdentity for the cluster, signed with the recorder's
     * credentials or a role's.
     *
     * @param clusterName the EKS cluster's name (the token is bound to it)
     * @param region the cluster's region; the recorder's own when unset
     * @param roleArn a role to assume first (one mapped to a Kubernetes group through an access entry)
     */
    record Eks(
            @NotBlank String clusterName,
            @Nullable @Pattern(regexp = "[a-z]{2}(-[a-z]+)+-\\d") String region,
            @Nullable @Pattern(regexp = "arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+") String roleArn) {}
}
