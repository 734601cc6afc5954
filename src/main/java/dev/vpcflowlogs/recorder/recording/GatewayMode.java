package dev.vpcflowlogs.recorder.recording;

/**
 * How a NAT gateway is deployed, as DescribeNatGateways says ({@code AvailabilityMode}). A zonal gateway's flow logs
 * are made on its network interfaces; a regional gateway (since November 2025: one id for the whole VPC, present in the
 * zones where workloads run) has its flow log made on the gateway itself ({@code ResourceType=RegionalNatGateway}).
 */
public enum GatewayMode {
    ZONAL,
    REGIONAL
}
