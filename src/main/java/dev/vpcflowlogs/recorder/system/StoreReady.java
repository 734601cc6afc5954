package dev.vpcflowlogs.recorder.system;

/** Published once the store is reachable and migrated: consumption, deadlines and notifications may start. */
public record StoreReady() {}
