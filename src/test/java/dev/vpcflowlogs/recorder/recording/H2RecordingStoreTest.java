package dev.vpcflowlogs.recorder.recording;

import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The store on H2, the single-replica default. */
class H2RecordingStoreTest extends RecordingStoreContract {

    final DataSource dataSource = new SimpleDriverDataSource(
            new org.h2.Driver(), "jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");

    @Override
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    String schema() {
        return null;
    }
}
