package io.outpost.cloud.store.internal;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.common.OutpostException;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The store's database: a pool of connections ({@link PooledConnections}), the schema brought to the newest version by Flyway when opened,
 * and transactions that map SQL failures to {@link OutpostException}s.
 */
final class Database implements AutoCloseable {

    /** A unit of work inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final PooledConnections pool;
    private final String url;

    private Database(PooledConnections pool, String url) {
        this.pool = pool;
        this.url = url;
    }

    /** Opens the database and migrates its schema; the result tells which migrations ran. */
    static Database open(StoreSettings settings) {
        PooledConnections pool = new PooledConnections(settings.jdbcUrl(), settings.user(), settings.password(),
                settings.pool());
        try {
            migrate(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, settings.jdbcUrl());
    }

    private static MigrateResult migrate(PooledConnections pool) {
        try {
            return Flyway.configure(Database.class.getClassLoader())
                    .dataSource(pool.dataSource())
                    .resourceProvider(new MigrationResources())
                    .locations("classpath:" + MigrationResources.LOCATION)
                    .table("outpost_schema_history")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new OutpostException(CloudErrorCode.STORE_UNAVAILABLE,
                    "the cloud store's schema cannot be migrated: " + e.getMessage(), e);
        }
    }

    /**
     * Runs work in one transaction, committed when it returns, rolled back when it throws. Waits for a free
     * connection up to the pool's {@code connectionWaitMs}, then fails with {@code STORE_UNAVAILABLE}.
     */
    <T> T transaction(Work<T> work) {
        try (Connection c = pool.borrow()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw SqlErrors.map(e, url);
        }
    }

    /** The pool's connections now: in use, idle, and transactions waiting for one. */
    PooledConnections.Usage connections() {
        return pool.usage();
    }

    @Override
    public void close() {
        pool.close();
    }
}
