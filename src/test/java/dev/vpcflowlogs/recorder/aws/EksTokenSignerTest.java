package dev.vpcflowlogs.recorder.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The token EKS takes: a presigned STS GetCallerIdentity bound to the cluster, in the authenticator's format. */
class EksTokenSignerTest {

    @Test
    void isAPresignedGetCallerIdentityForTheClusterThatExpiresInAMinute() {
        EksTokenSigner tokens = new EksTokenSigner(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
                "us-east-1",
                null,
                Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC));

        String value = tokens.token("prod", "eu-west-1", null);

        assertThat(value).startsWith("k8s-aws-v1.").doesNotContain("=");
        URI url = URI.create(new String(
                Base64.getUrlDecoder().decode(value.substring("k8s-aws-v1.".length())), StandardCharsets.UTF_8));
        assertThat(url.getHost()).isEqualTo("sts.eu-west-1.amazonaws.com");
        assertThat(url.getRawQuery())
                .contains("Action=GetCallerIdentity")
                .contains("Version=2011-06-15")
                .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256")
                .contains("X-Amz-Credential=AKIDEXAMPLE%2F20261205%2Feu-west-1%2Fsts%2Faws4_request")
                .contains("X-Amz-Date=20261205T100000Z")
                .contains("X-Amz-Expires=60")
                .containsPattern("X-Amz-SignedHeaders=host%3Bx-k8s-aws-id")
                .containsPattern("X-Amz-Signature=[0-9a-f]{64}");
    }

    @Test
    void aTokenForAnotherClusterIsSignedDifferently() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));

        EksTokenSigner tokens = new EksTokenSigner(credentials, "eu-west-1", null, clock);

        assertThat(tokens.token("prod", null, null)).isNotEqualTo(tokens.token("staging", null, null));
    }
}
