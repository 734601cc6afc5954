package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.TestDatabase;

/** The store contract on PostgreSQL, the store of production and of several replicas. */
class RecordingStorePostgresIT extends RecordingStoreContract {

    @Override
    TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
