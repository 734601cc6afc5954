package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.kubernetes.EksTokens;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;

/**
 * An EKS bearer token, as {@code aws eks get-token} and aws-iam-authenticator make it: an STS GetCallerIdentity request
 * presigned with SigV4 in the query string, with the cluster's name in the signed {@code x-k8s-aws-id} header and an
 * expiry of 60 seconds, base64url-encoded without padding behind {@code k8s-aws-v1.} (EKS user guide, "Grant IAM
 * users access to Kubernetes"; the authenticator's token format). EKS accepts it for 15 minutes; a new one is made for
 * each request the Kubernetes client signs, so none goes stale. With a role, the role's session signs it (assumed
 * with the recorder's credentials, and kept like a member account's).
 */
@Component
class EksTokenSigner implements EksTokens {

    static final String PREFIX = "k8s-aws-v1.";
    static final String CLUSTER_HEADER = "x-k8s-aws-id";
    static final Duration EXPIRES = Duration.ofSeconds(60);

    private final AwsCredentialsProvider credentials;
    private final String home;
    private final @Nullable AwsClients clients;
    private final Clock clock;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    @Autowired
    EksTokenSigner(AwsCredentialsProvider credentials, AwsRegionProvider regions, AwsClients clients, Clock clock) {
        this(credentials, regions.getRegion().id(), clients, clock);
    }

    EksTokenSigner(AwsCredentialsProvider credentials, String home, @Nullable AwsClients clients, Clock clock) {
        this.credentials = credentials;
        this.home = home;
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public String token(String clusterName, @Nullable String region, @Nullable String roleArn) {
        String where = region == null ? home : region;
        AwsCredentialsProvider signing = roleArn == null
                ? credentials
                : java.util.Objects.requireNonNull(clients, "no role sessions here")
                        .credentialsOf(roleArn);
        return token(signing, where, clusterName);
    }

    private String token(AwsCredentialsProvider credentials, String region, String clusterName) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create("https://sts." + region + ".amazonaws.com/"))
                .putRawQueryParameter("Action", "GetCallerIdentity")
                .putRawQueryParameter("Version", "2011-06-15")
                .putHeader(CLUSTER_HEADER, clusterName)
                .build();
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, EXPIRES)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        String url = signed.request().getUri().toString();
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(url.getBytes(StandardCharsets.UTF_8));
    }
}
