package dev.vpcflowlogs.recorder.recording;

/** Published once the store is reachable and migrated: consumption and deadlines may start. */
public record StoreReady() {}
