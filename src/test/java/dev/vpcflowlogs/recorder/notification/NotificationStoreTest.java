package dev.vpcflowlogs.recorder.notification;

import dev.vpcflowlogs.recorder.TestDatabase;

/** The notification store contract on H2. */
class NotificationStoreTest extends NotificationStoreContract {

    @Override
    TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
