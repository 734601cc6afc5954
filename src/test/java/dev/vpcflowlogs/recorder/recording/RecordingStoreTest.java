package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.TestDatabase;

/** The store contract on H2, the embedded store. */
class RecordingStoreTest extends RecordingStoreContract {

    @Override
    TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
