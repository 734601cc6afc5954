package dev.vpcflowlogs.recorder.system;

/** Whether the store is migrated and reachable: work that needs it waits until then. */
@FunctionalInterface
public interface StoreReadiness {

    boolean isReady();
}
