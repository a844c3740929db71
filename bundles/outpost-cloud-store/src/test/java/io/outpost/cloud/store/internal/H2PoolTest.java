package io.outpost.cloud.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection pool on H2 in file mode, the embedded default. */
class H2PoolTest extends PoolContract {

    @TempDir
    Path dir;

    @Override
    protected StoreSettings newDatabase(PoolSettings pool) {
        return new StoreSettings(url(), "", "", pool, StoreTestBase.HISTORY, StoreTestBase.TELEMETRY);
    }

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("registry").toAbsolutePath();
    }

    @Override
    protected String sessionQuery() {
        return "SELECT SESSION_ID()";
    }

    @Test
    void givenDatabaseShutDownAndReopened_whenTransactionsRun_thenTheyGetNewConnectionsAndSucceed() throws Exception {
        open(limits(2, LONG_WAIT));
        db.transaction(c -> update(c, "CREATE TABLE t (n INT)") + update(c, "INSERT INTO t VALUES (1)")
                + update(c, "SET @pooled = 'old'"));
        assertThat(marker()).as("the returned connection is used again").isEqualTo("old");

        try (Connection other = new org.h2.Driver().connect(url(), new Properties());
                Statement s = other.createStatement()) {
            s.execute("SHUTDOWN");
        }

        assertThat(marker()).as("a new connection (session variables are per connection)").isNull();
        db.transaction(c -> update(c, "SET @pooled = 'new'") + update(c, "INSERT INTO t VALUES (2)"));
        assertThat(marker()).isEqualTo("new");
        int rows = db.transaction(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM t")) {
                r.next();
                return r.getInt(1);
            }
        });
        assertThat(rows).as("rows written before and after the shutdown").isEqualTo(2);
    }

    private String marker() {
        return db.transaction(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT @pooled")) {
                r.next();
                return r.getString(1);
            }
        });
    }

    private static int update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
            return 0;
        }
    }

    @Test
    void givenTheSmallestPool_whenTheStoreOpens_thenItsSchemaIsMigratedWithinIt() {
        open(limits(2, 1, Duration.ofMillis(250)));

        assertThat(session()).isNotNull();
    }
}
