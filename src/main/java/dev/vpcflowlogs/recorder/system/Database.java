package dev.vpcflowlogs.recorder.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The database the store lives in, as its connection says (not its URL): known once the store has been reached.
 * PostgreSQL serves several replicas; H2 serves one.
 */
@Component
public class Database {

    public enum Kind {
        POSTGRESQL,
        H2,
        OTHER
    }

    private final DataSource dataSource;
    private volatile @Nullable Kind kind;

    public Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What the store runs on; asks the database the first time. */
    public Kind kind() {
        Kind known = kind;
        if (known != null) {
            return known;
        }
        try (Connection connection = dataSource.getConnection()) {
            known = kindOf(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("the store cannot be reached to tell what database it is", e);
        }
        kind = known;
        return known;
    }

    static Kind kindOf(String productName) {
        String name = productName.toLowerCase(Locale.ROOT);
        if (name.contains("postgresql")) {
            return Kind.POSTGRESQL;
        }
        return name.contains("h2") ? Kind.H2 : Kind.OTHER;
    }

    /**
     * Makes every commit reach the file before the commit returns. H2 flushes commits with a delay (its
     * {@code WRITE_DELAY}, 500 ms by default), so a process killed just after a commit would lose it; the recorder
     * commits before each AWS call and must find that commit again after a crash. The setting is persistent.
     */
    void makeCommitsDurable() {
        if (kind() != Kind.H2) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SET WRITE_DELAY 0");
        } catch (SQLException e) {
            throw new IllegalStateException("H2's write delay could not be turned off", e);
        }
    }
}
