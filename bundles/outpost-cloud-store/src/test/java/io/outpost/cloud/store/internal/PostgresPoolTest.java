package io.outpost.cloud.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.cloud.CloudErrorCode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The connection pool on a real PostgreSQL server started by {@code scripts/test-postgres.sh}. */
@Tag("integration")
class PostgresPoolTest extends PoolContract {

    private static TestPostgres server;
    private StoreSettings settings;

    @BeforeAll
    static void startServer() {
        server = TestPostgres.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected StoreSettings newDatabase(PoolSettings pool) {
        StoreSettings s = server.newDatabase(StoreTestBase.HISTORY, StoreTestBase.TELEMETRY);
        settings = new StoreSettings(s.jdbcUrl(), s.user(), s.password(), pool, s.historyRetention(), s.telemetry());
        return settings;
    }

    @Override
    protected String sessionQuery() {
        return "SELECT pg_backend_pid()";
    }

    @Test
    void givenConnectionTerminatedByTheServer_whenTransactionsRun_thenOneFailsAndTheConnectionIsReplaced()
            throws Exception {
        open(limits(2, 1, LONG_WAIT));
        String pid = session();

        terminate(pid);

        StoreTestBase.thrown(CloudErrorCode.STORE_UNAVAILABLE, this::session);
        String replacement = session();
        assertThat(replacement).isNotEqualTo(pid);
        assertThat(session()).as("the replacement is pooled in turn").isEqualTo(replacement);
    }

    @Test
    void givenIdleConnectionTerminatedByTheServer_whenIdleConnectionsAreValidated_thenItIsClosedBeforeAnyUse() {
        open(limits(2, 1, LONG_WAIT, Duration.ofMillis(100)));
        String pid = session();
        assertThat(db.connections().idle()).isEqualTo(1);

        terminate(pid);

        await().atMost(1, TimeUnit.MINUTES).until(() -> db.connections().idle() == 0);
        String replacement = session();
        assertThat(replacement).isNotEqualTo(pid);
    }

    /** Ends a session from the server's side, as a restart or an administrator does; returns once it ended. */
    private void terminate(String pid) {
        try (Connection admin = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
                PreparedStatement s = admin.prepareStatement("SELECT pg_terminate_backend(?, 60000)")) {
            s.setInt(1, Integer.parseInt(pid));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertThat(r.getBoolean(1)).as("backend %s terminated", pid).isTrue();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot terminate backend " + pid, e);
        }
    }
}
