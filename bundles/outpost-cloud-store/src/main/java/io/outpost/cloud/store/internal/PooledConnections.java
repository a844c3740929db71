package io.outpost.cloud.store.internal;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.common.OutpostException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.NoSuchElementException;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.DelegatingConnection;
import org.apache.commons.dbcp2.PoolableConnection;
import org.apache.commons.dbcp2.PoolableConnectionFactory;
import org.apache.commons.dbcp2.PoolingDataSource;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * The store's JDBC connections, pooled by Apache Commons DBCP within the {@link PoolSettings}: at most
 * {@code maxConnections} open, a transaction that finds none free waits up to {@code connectionWaitMs} and then
 * fails naming both settings. A borrow costs no round trip to the database: idle connections are validated in the
 * background every {@code idleValidationSecs}; a connection found closed when it is borrowed, or that failed while
 * in use, is closed and replaced. Connections are opened straight from the driver (no {@code DriverManager},
 * which does not see drivers of other bundles in OSGi). With an H2 database on disk a commit returns only once it
 * is on disk ({@link H2Durability}).
 */
final class PooledConnections implements AutoCloseable {

    private final PoolSettings limits;
    private final GenericObjectPool<PoolableConnection> pool;
    private final PoolingDataSource<PoolableConnection> dataSource;

    PooledConnections(String url, String user, String password, PoolSettings limits) {
        this.limits = limits;
        Driver driver = url.startsWith("jdbc:h2:") ? new org.h2.Driver() : new org.postgresql.Driver();
        Properties properties = new Properties();
        if (!user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        H2Durability durability = H2Durability.applies(url) ? new H2Durability() : null;
        PoolableConnectionFactory factory = new PoolableConnectionFactory(
                () -> connect(driver, url, properties, durability), null);
        // activation asks the driver for the auto-commit mode (no cache): a connection closed meanwhile (its
        // database shut down) fails there, without a round trip, and is replaced
        factory.setDefaultAutoCommit(true);
        factory.setCacheState(false);
        factory.setValidationQueryTimeout(limits.validationTimeout());
        factory.setFastFailValidation(true);
        GenericObjectPoolConfig<PoolableConnection> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(limits.maxConnections());
        config.setMaxIdle(limits.maxIdle());
        config.setMaxWait(limits.connectionWait());
        config.setBlockWhenExhausted(true);
        config.setTestOnBorrow(false);
        config.setTestWhileIdle(true);
        config.setTimeBetweenEvictionRuns(limits.idleValidationInterval());
        config.setNumTestsPerEvictionRun(-1); // every idle connection, each run
        config.setJmxEnabled(false);
        this.pool = new GenericObjectPool<>(factory, config);
        factory.setPool(pool);
        this.dataSource = new PoolingDataSource<>(pool);
    }

    private static Connection connect(Driver driver, String url, Properties properties, H2Durability durability)
            throws SQLException {
        Connection c = driver.connect(url, properties);
        if (c == null) {
            throw new SQLException("the JDBC driver does not accept " + url, "08001");
        }
        if (durability == null) {
            return c;
        }
        try {
            durability.prepare(c, url);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new DurableConnection(c, durability);
    }

    /** The pool as a data source (for Flyway); its connections return to the pool when closed. */
    DataSource dataSource() {
        return dataSource;
    }

    /**
     * A connection from the pool, returned when closed.
     *
     * @throws OutpostException {@code STORE_UNAVAILABLE} when no connection became free within the wait
     */
    Connection borrow() throws SQLException {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            // the pool's timeout is a NoSuchElementException of its own; a failed activation carries its cause
            if (e.getCause() instanceof NoSuchElementException timeout && timeout.getCause() == null) {
                throw new OutpostException(CloudErrorCode.STORE_UNAVAILABLE, "no database connection free within "
                        + limits.connectionWaitText() + " (maxConnections=" + limits.maxConnections()
                        + ", connectionWaitMs=" + limits.connectionWait().toMillis() + ")", e);
            }
            throw e;
        } catch (IllegalStateException e) {
            throw new SQLException("the connection pool is closed", "08003", e);
        }
    }

    /** The pool's connections now: in use, idle, and transactions waiting for one. */
    Usage usage() {
        return new Usage(pool.getNumActive(), pool.getNumIdle(), pool.getNumWaiters());
    }

    /** The pool's connections at one moment. */
    record Usage(int inUse, int idle, int waiting) {
    }

    @Override
    public void close() {
        pool.close();
    }

    /** A connection to an H2 database on disk whose commits return once they are on the device. */
    private static final class DurableConnection extends DelegatingConnection<Connection> {

        private final H2Durability durability;

        DurableConnection(Connection c, H2Durability durability) {
            super(c);
            this.durability = durability;
            setCacheState(false);
        }

        @Override
        public void commit() throws SQLException {
            super.commit();
            durability.sync(getDelegateInternal());
        }
    }
}
