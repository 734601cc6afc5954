package dev.vpcflowlogs.recorder;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Records VPC Flow Logs on NAT gateways while their CloudWatch alarm is in ALARM. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class RecorderApplication {

    public static void main(String[] args) {
        SpringApplication.run(RecorderApplication.class, args);
    }
}
