package io.outpost.cloud.store.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A small pool of JDBC connections opened straight from the driver (no {@code DriverManager}, which does not
 * see drivers of other bundles in OSGi). Closing a pooled connection returns it; at most {@code maxIdle} stay
 * open. Connections that fail validation are discarded. With an H2 database on disk a commit returns only once it
 * is on disk ({@link H2Durability}).
 */
final class ConnectionPool implements DataSource, AutoCloseable {

    private final Driver driver;
    private final String url;
    private final Properties properties;
    private final int maxIdle;
    /** For an H2 database on disk: what makes its commits durable before they return; else null. */
    private final H2Durability durability;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    ConnectionPool(String url, String user, String password, int maxIdle) {
        this.driver = driverFor(url);
        this.url = url;
        this.durability = H2Durability.applies(url) ? new H2Durability() : null;
        this.properties = new Properties();
        if (!user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        this.maxIdle = maxIdle;
    }

    private static Driver driverFor(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return new org.h2.Driver();
        }
        return new org.postgresql.Driver();
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c;
        synchronized (this) {
            if (closed) {
                throw new SQLException("the connection pool is closed", "08003");
            }
            c = idle.pollFirst();
        }
        while (c != null && !c.isValid(5)) {
            c.close();
            synchronized (this) {
                c = idle.pollFirst();
            }
        }
        if (c == null) {
            c = driver.connect(url, properties);
            if (c == null) {
                throw new SQLException("the JDBC driver does not accept " + url, "08001");
            }
            if (durability != null) {
                try {
                    durability.prepare(c, url);
                } catch (SQLException e) {
                    c.close();
                    throw e;
                }
            }
        }
        return pooled(c);
    }

    private Connection pooled(Connection raw) {
        boolean[] released = {false};
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        if (!released[0]) {
                            released[0] = true;
                            release(raw);
                        }
                        return null;
                    }
                    if (method.getName().equals("isClosed") && released[0]) {
                        return true;
                    }
                    try {
                        Object result = method.invoke(raw, args);
                        if (durability != null && method.getName().equals("commit")) {
                            durability.sync(raw);
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void release(Connection raw) throws SQLException {
        if (!raw.getAutoCommit()) {
            raw.rollback();
            raw.setAutoCommit(true);
        }
        synchronized (this) {
            if (!closed && idle.size() < maxIdle) {
                idle.addFirst(raw);
                return;
            }
        }
        raw.close();
    }

    @Override
    public void close() {
        Deque<Connection> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayDeque<>(idle);
            idle.clear();
        }
        for (Connection c : toClose) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing is best effort: the database may be gone already
            }
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool has one user");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // no log writer: the store logs through SLF4J
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the drivers' own connect timeouts apply
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
