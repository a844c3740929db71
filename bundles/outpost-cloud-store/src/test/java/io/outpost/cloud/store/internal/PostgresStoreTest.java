package io.outpost.cloud.store.internal;

import io.outpost.cloud.TelemetryRetention;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The storage suite on a real PostgreSQL server started by {@code scripts/test-postgres.sh}. */
@Tag("integration")
class PostgresStoreTest extends StoreContract {

    private static TestPostgres server;

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
    protected StoreSettings newDatabase(Duration history, TelemetryRetention telemetry) {
        return server.newDatabase(history, telemetry);
    }
}
