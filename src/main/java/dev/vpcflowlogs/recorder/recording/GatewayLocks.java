package dev.vpcflowlogs.recorder.recording;

import dev.vpcflowlogs.recorder.system.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * Serializes everything that happens to one gateway: an alarm, its AWS calls and its deadline never interleave. In
 * this process a lock per gateway; on PostgreSQL also a session advisory lock, held on a connection of its own, so
 * that several replicas serialize among themselves (PostgreSQL releases it if the replica dies). H2 serves one
 * replica. The stored versions still guard every row, so a broken lock makes a change fail and retry, never corrupt.
 */
@Component
class GatewayLocks {

    private final Map<String, ReentrantLock> local = new ConcurrentHashMap<>();
    private final DataSource dataSource;
    private final Database database;

    GatewayLocks(DataSource dataSource, Database database) {
        this.dataSource = dataSource;
        this.database = database;
    }

    <T> T withLock(String gatewayId, Supplier<T> work) {
        ReentrantLock lock = local.computeIfAbsent(gatewayId, id -> new ReentrantLock());
        lock.lock();
        try {
            return database.kind() == Database.Kind.POSTGRESQL ? withAdvisoryLock(gatewayId, work) : work.get();
        } finally {
            lock.unlock();
        }
    }

    private <T> T withAdvisoryLock(String gatewayId, Supplier<T> work) {
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
    }

    private static void advisory(Connection connection, String sql, String gatewayId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, "vpc-flowlogs-recorder/gateway/" + gatewayId);
            statement.execute();
        }
    }
}
