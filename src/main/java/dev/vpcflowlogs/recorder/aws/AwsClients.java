package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Place;
import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The EC2, CloudWatch and CloudWatch Logs clients of each account and region, made once and kept. The recorder's own
 * account uses its own credentials; another account the role it assumes there, through the SDK's assume-role
 * provider (which refreshes the credentials before they expire), with the session name
 * {@value #SESSION_NAME} so that CloudTrail names the recorder. Each EC2 and CloudWatch client has its own rate
 * buckets: both throttle per account, region and action.
 */
@Component
public class AwsClients {

    static final String SESSION_NAME = "vpc-flowlogs-recorder";
    /** How long assumed credentials last: an hour, the most a role allows by default (role chaining included). */
    static final Duration SESSION = Duration.ofHours(1);

    private final @Nullable AwsClientBuilderConfigurer configurer;
    private final RecorderProperties properties;
    private final Places places;
    private final @Nullable StsClient sts;
    private final Map<Place, Clients> clients = new ConcurrentHashMap<>();
    /**
     * The HTTP client of every account's and region's clients: one connection pool, not one per client (an
     * organization of a thousand accounts in two regions has six thousand clients). A client given an HTTP client
     * leaves it open when it closes; this one is closed last.
     */
    private final SdkHttpClient http =
            Apache5HttpClient.builder().maxConnections(200).build();
    /** By role: the regions of an account that share one role share its session. */
    private final Map<String, AwsCredentialsProvider> credentials = new ConcurrentHashMap<>();

    private record Clients(Ec2Client ec2, CloudWatchLogsClient logs, CloudWatchClient cloudWatch, boolean owned) {}

    @Autowired
    AwsClients(
            AwsClientBuilderConfigurer configurer,
            RecorderProperties properties,
            Places places,
            StsClient sts,
            Ec2Client ec2,
            CloudWatchLogsClient logs,
            CloudWatchClient cloudWatch) {
        this(configurer, properties, places, sts, new Clients(ec2, logs, cloudWatch, false));
    }

    private AwsClients(
            @Nullable AwsClientBuilderConfigurer configurer,
            RecorderProperties properties,
            Places places,
            @Nullable StsClient sts,
            Clients home) {
        this.configurer = configurer;
        this.properties = properties;
        this.places = places;
        this.sts = sts;
        // The recorder's own account in its own region: the clients Spring made.
        clients.put(places.home(), home);
    }

    /** For tests of one adapter: these clients serve the recorder's own place, and no other. */
    static AwsClients ofHome(
            RecorderProperties properties,
            Places places,
            Ec2Client ec2,
            CloudWatchLogsClient logs,
            CloudWatchClient cw) {
        return new AwsClients(null, properties, places, null, new Clients(ec2, logs, cw, false));
    }

    public Ec2Client ec2(Place place) {
        return of(place).ec2();
    }

    public CloudWatchLogsClient logs(Place place) {
        return of(place).logs();
    }

    public CloudWatchClient cloudWatch(Place place) {
        return of(place).cloudWatch();
    }

    private Clients of(Place place) {
        return clients.computeIfAbsent(place, this::build);
    }

    private Clients build(Place place) {
        if (configurer == null) {
            throw new IllegalStateException("no clients for " + place + " here");
        }
        RecorderProperties.Aws aws = properties.aws();
        Ec2Client ec2 = here(place, Ec2Client.builder())
                .overrideConfiguration(AwsConfiguration.ec2Overrides(aws))
                .build();
        CloudWatchLogsClient logs = here(place, CloudWatchLogsClient.builder())
                .overrideConfiguration(AwsConfiguration.logsOverrides(aws))
                .build();
        CloudWatchClient cloudWatch = here(place, CloudWatchClient.builder())
                .overrideConfiguration(AwsConfiguration.cloudWatchOverrides(aws))
                .build();
        return new Clients(ec2, logs, cloudWatch, true);
    }

    /** A builder configured as Spring Cloud AWS does (endpoint, client settings), then for this place. */
    private <B extends AwsClientBuilder<B, ?>> B here(Place place, B builder) {
        B configured =
                java.util.Objects.requireNonNull(configurer).configure(builder).region(Region.of(place.region()));
        if (configured instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClient(http);
        }
        if (!place.home()) {
            configured.credentialsProvider(credentials(place));
        }
        return configured;
    }

    /** The credentials of a member account's region: its role, assumed with the recorder's own credentials. */
    AwsCredentialsProvider credentials(Place place) {
        return credentials.computeIfAbsent(places.roleArn(place), role -> StsAssumeRoleCredentialsProvider.builder()
                .stsClient(java.util.Objects.requireNonNull(sts))
                .refreshRequest(r -> {
                    r.roleArn(role).roleSessionName(SESSION_NAME).durationSeconds((int) SESSION.toSeconds());
                    places.externalId(place).ifPresent(r::externalId);
                })
                .asyncCredentialUpdateEnabled(false)
                .build());
    }

    /** A role's session, assumed with the recorder's own credentials (an EKS cluster's reader, say). */
    AwsCredentialsProvider credentialsOf(String roleArn) {
        return credentials.computeIfAbsent(roleArn, role -> StsAssumeRoleCredentialsProvider.builder()
                .stsClient(java.util.Objects.requireNonNull(sts))
                .refreshRequest(
                        r -> r.roleArn(role).roleSessionName(SESSION_NAME).durationSeconds((int) SESSION.toSeconds()))
                .asyncCredentialUpdateEnabled(false)
                .build());
    }

    @PreDestroy
    void close() {
        clients.values().stream().filter(Clients::owned).forEach(c -> {
            c.ec2().close();
            c.logs().close();
            c.cloudWatch().close();
        });
        credentials.values().forEach(c -> {
            if (c instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // closing
                }
            }
        });
        http.close();
    }
}
