package dev.vpcflowlogs.recorder.recording;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Several replicas on one PostgreSQL: a session advisory lock per gateway, taken after this process's own lock and
 * held on a connection of its own while the gateway's events and AWS calls run. PostgreSQL releases it if the
 * replica dies.
 */
class PostgresGatewayLocks implements GatewayLocks {

    private final InProcessGatewayLocks local = new InProcessGatewayLocks();
    private final DataSource dataSource;

    PostgresGatewayLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public <T> T withLock(String gatewayId, Supplier<T> work) {
        return local.withLock(gatewayId, () -> {
            try (Connection connection = dataSource.getConnection()) {
                advisory(connection, "select pg_advisory_lock(hashtextextended(?, 0))", gatewayId);
                try {
                    return work.get();
                } finally {
                    advisory(connection, "select pg_advisory_unlock(hashtextextended(?, 0))", gatewayId);
                }
            } catch (SQLException e) {
                throw new DataAccessResourceFailureException(
                        "the lock of gateway " + gatewayId + " could not be taken: " + e.getMessage(), e);
            }
        });
    }

    private static void advisory(Connection connection, String sql, String gatewayId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, "vpc-flowlogs-recorder/gateway/" + gatewayId);
            statement.execute();
        }
    }
}
