package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.config.Places;
import dev.vpcflowlogs.recorder.config.RecorderProperties;
import dev.vpcflowlogs.recorder.system.DeploymentRegion;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import java.util.function.Consumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The AWS clients, with region and credentials from Spring Cloud AWS. No endpoint is overridden unless
 * {@code spring.cloud.aws.endpoint} asks for one, so the SDK's own {@code AWS_ENDPOINT_URL} and
 * {@code AWS_ENDPOINT_URL_<SERVICE>} variables work.
 */
@Configuration(proxyBeanMethods = false)
class AwsConfiguration {

    @Bean(destroyMethod = "close")
    Ec2Client ec2Client(AwsClientBuilderConfigurer configurer, RecorderProperties properties) {
        return configurer
                .configure(Ec2Client.builder())
                .overrideConfiguration(ec2Overrides(properties.aws()))
                .build();
    }

    @Bean(destroyMethod = "close")
    CloudWatchLogsClient cloudWatchLogsClient(AwsClientBuilderConfigurer configurer, RecorderProperties properties) {
        return configurer
                .configure(CloudWatchLogsClient.builder())
                .overrideConfiguration(logsOverrides(properties.aws()))
                .build();
    }

    @Bean(destroyMethod = "close")
    CloudWatchClient cloudWatchClient(AwsClientBuilderConfigurer configurer, RecorderProperties properties) {
        return configurer
                .configure(CloudWatchClient.builder())
                .overrideConfiguration(cloudWatchOverrides(properties.aws()))
                .build();
    }

    /**
     * SNS in the topic's own region: SNS publishes only to a topic in the region the request is sent to (SNS API
     * reference, Publish: a topic of another region is NotFound), so a topic in another region than the recorder's is
     * reached there.
     */
    @Bean(destroyMethod = "close")
    SnsClient snsClient(AwsClientBuilderConfigurer configurer, RecorderProperties properties) {
        SnsClientBuilder builder = configurer
                .configure(SnsClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(retryStrategy(properties.aws())));
        String topicArn = properties.notifications().topicArn();
        if (topicArn != null) {
            builder.region(Region.of(topicArn.split(":")[3]));
        }
        return builder.build();
    }

    /**
     * How every EC2 client is called, the recorder's own and each other account's and region's ({@link AwsClients}):
     * the retries, and EC2's rate buckets unless turned off.
     */
    static Consumer<ClientOverrideConfiguration.Builder> ec2Overrides(RecorderProperties.Aws aws) {
        return o -> {
            o.retryStrategy(retryStrategy(aws));
            if (aws.ec2().enabled()) {
                o.addExecutionInterceptor(new Ec2RateLimiter(aws.ec2()));
            }
        };
    }

    /** How every CloudWatch client is called: the retries, and the pace of the alarm actions. */
    static Consumer<ClientOverrideConfiguration.Builder> cloudWatchOverrides(RecorderProperties.Aws aws) {
        return o ->
                o.retryStrategy(retryStrategy(aws)).addExecutionInterceptor(new CloudWatchAlarmRates(aws.cloudwatch()));
    }

    /** How every CloudWatch Logs client is called: the retries (its reads keep their own pace). */
    static Consumer<ClientOverrideConfiguration.Builder> logsOverrides(RecorderProperties.Aws aws) {
        return o -> o.retryStrategy(retryStrategy(aws));
    }

    /**
     * The SDK's standard strategy (exponential backoff with jitter on throttling, 5xx, timeouts and I/O errors),
     * with the configured attempts. A failure after them is the recorder's to retry later, never to drop.
     */
    static RetryStrategy retryStrategy(RecorderProperties.Aws aws) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(aws.maxAttempts())
                .build();
    }

    @Bean
    DeploymentRegion deploymentRegion(AwsRegionProvider regions) {
        return new DeploymentRegion(regions.getRegion().id());
    }

    /** Every account and region the recorder works in; a bad {@code recorder.accounts} stops start-up. */
    @Bean
    Places places(RecorderProperties properties, AwsRegionProvider regions) {
        return new Places(properties, regions.getRegion().id());
    }

    /** STS in the recorder's own region, with its own credentials: who it is, and the roles it assumes. */
    @Bean(destroyMethod = "close")
    StsClient stsClient(AwsClientBuilderConfigurer configurer, RecorderProperties properties) {
        return configurer
                .configure(StsClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(retryStrategy(properties.aws())))
                .build();
    }

    /**
     * Runs the FilterLogEvents calls that reports share, one log group at a time each (the reports wait on their own
     * threads): two log groups, two accounts or regions, read at once.
     */
    @Bean
    ThreadPoolTaskExecutor logReads() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setThreadNamePrefix("log-reads-");
        executor.setCorePoolSize(2);
        executor.setMaxPoolSize(2);
        return executor;
    }
}
