package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.e2e.RecorderHarness;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The store on PostgreSQL (this machine's, or {@code -Drecorder.test.postgres.url}), in a schema of its own. */
class PostgresRecordingStoreTest extends RecordingStoreContract {

    final String schema =
            "store_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    final DataSource dataSource = new SimpleDriverDataSource(
            new org.postgresql.Driver(),
            RecorderHarness.postgresUrl() + "?currentSchema=" + schema,
            RecorderHarness.postgresUser(),
            RecorderHarness.postgresPassword());

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    String schema() {
        return schema;
    }

    @AfterEach
    void dropSchema() {
        JdbcClient.create(dataSource).sql("drop schema " + schema + " cascade").update();
    }
}
