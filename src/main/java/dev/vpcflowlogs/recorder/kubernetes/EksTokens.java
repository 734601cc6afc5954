package dev.vpcflowlogs.recorder.kubernetes;

import org.jspecify.annotations.Nullable;

/** Bearer tokens for EKS clusters, made from the recorder's AWS credentials (the {@code aws} module makes them). */
public interface EksTokens {

    /**
     * A fresh token for the cluster.
     *
     * @param region the cluster's region; null: the recorder's own
     * @param roleArn a role to sign as, assumed with the recorder's credentials; null: the recorder's own identity
     */
    String token(String clusterName, @Nullable String region, @Nullable String roleArn);
}
