package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.config.RecorderProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RecordingConfiguration {

    @Bean
    RecordingPolicy recordingPolicy(RecorderProperties properties) {
        RecorderProperties.Recording r = properties.recording();
        return new RecordingPolicy(
                r.tail(), r.maxDuration(), r.maxRecordingsPerGateway(), r.retryDelay(), r.operatorRecordingsCount());
    }
}
