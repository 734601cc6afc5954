package dev.vpcflowlogs.recorder.notification;

import dev.vpcflowlogs.recorder.TestDatabase;

/** The notification store contract on PostgreSQL. */
class NotificationStorePostgresIT extends NotificationStoreContract {

    @Override
    TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
