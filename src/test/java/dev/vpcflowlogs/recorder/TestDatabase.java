package dev.vpcflowlogs.recorder;

import dev.vpcflowlogs.recorder.e2e.RecorderHarness;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** A fresh store, migrated, for tests of the repositories: H2 in memory, or a schema of this machine's PostgreSQL. */
public final class TestDatabase implements AutoCloseable {

    private final DataSource dataSource;
    private final Runnable drop;

    private TestDatabase(DataSource dataSource, String schema, Runnable drop) {
        this.dataSource = dataSource;
        this.drop = drop;
        var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
        if (schema != null) {
            flyway.schemas(schema).createSchemas(true);
        }
        flyway.load().migrate();
    }

    /** An H2 database in memory, as the embedded store is. */
    public static TestDatabase h2() {
        String name = name();
        DataSource dataSource =
                new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
        return new TestDatabase(dataSource, null, () -> JdbcClient.create(dataSource)
                .sql("shutdown")
                .update());
    }

    /** A schema of its own on the PostgreSQL the integration tests use (see {@link RecorderHarness#postgresUrl}). */
    public static TestDatabase postgres() {
        String name = name();
        DataSource dataSource = new SimpleDriverDataSource(
                new org.postgresql.Driver(),
                RecorderHarness.postgresUrl() + "?currentSchema=" + name,
                RecorderHarness.postgresUser(),
                RecorderHarness.postgresPassword());
        return new TestDatabase(dataSource, name, () -> JdbcClient.create(dataSource)
                .sql("drop schema " + name + " cascade")
                .update());
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public JdbcClient jdbc() {
        return JdbcClient.create(dataSource);
    }

    /**
     * A completed recording's row (and its gateway's), for what refers to one (a notification, a report), written
     * straight into the tables the recording module owns.
     */
    public TestDatabase endedRecording(String id, java.time.Instant endedAt) {
        jdbc().sql(
                        """
                        insert into nat_gateway (gateway_id, recordings_started, version)
                        select 'nat-0a1b2c3d4e5f60718', 0, 0 where not exists
                            (select 1 from nat_gateway where gateway_id = 'nat-0a1b2c3d4e5f60718')
                        """)
                .update();
        jdbc().sql(
                        """
                        insert into recording (id, gateway_id, state, created_at, max_ends_at, ended_at, interface_ids,
                            flow_log_ids, interface_failures, attempts, version)
                        values (:id, 'nat-0a1b2c3d4e5f60718', 'COMPLETED', :at, :at, :at, '', '', '[]', 0, 1)
                        """)
                .param("id", id)
                .param("at", endedAt.atOffset(java.time.ZoneOffset.UTC))
                .update();
        return this;
    }

    @Override
    public void close() {
        drop.run();
    }

    private static String name() {
        return "store_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
