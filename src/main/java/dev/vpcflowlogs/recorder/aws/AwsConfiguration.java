package dev.vpcflowlogs.recorder.aws;

import dev.vpcflowlogs.recorder.report.DeploymentRegion;
import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The AWS clients, with region and credentials from Spring Cloud AWS. No endpoint is overridden unless
 * {@code spring.cloud.aws.endpoint} asks for one, so the SDK's own {@code AWS_ENDPOINT_URL} and
 * {@code AWS_ENDPOINT_URL_<SERVICE>} variables work.
 */
@Configuration(proxyBeanMethods = false)
class AwsConfiguration {

    @Bean(destroyMethod = "close")
    Ec2Client ec2Client(AwsClientBuilderConfigurer configurer) {
        return configurer.configure(Ec2Client.builder()).build();
    }

    @Bean(destroyMethod = "close")
    CloudWatchLogsClient cloudWatchLogsClient(AwsClientBuilderConfigurer configurer) {
        return configurer.configure(CloudWatchLogsClient.builder()).build();
    }

    @Bean(destroyMethod = "close")
    SnsClient snsClient(AwsClientBuilderConfigurer configurer) {
        return configurer.configure(SnsClient.builder()).build();
    }

    @Bean
    DeploymentRegion deploymentRegion(AwsRegionProvider regions) {
        return new DeploymentRegion(regions.getRegion().id());
    }
}
