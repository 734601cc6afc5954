package dev.vpcflowlogs.recorder.system;

/** The AWS region the recorder works in, for console links. */
public record DeploymentRegion(String id) {}
