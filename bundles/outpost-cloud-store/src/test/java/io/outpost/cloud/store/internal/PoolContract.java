package io.outpost.cloud.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.cloud.CloudErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store's connection pool on a real database, for the suites that run unchanged on H2 and PostgreSQL: the
 * total limit holds, a transaction that finds no free connection waits and then fails naming the settings, and a
 * connection returned is used again. Transactions hold connections in threads of their own until released.
 */
abstract class PoolContract {

    /** A generous wait, for tests in which a connection does become free. */
    static final Duration LONG_WAIT = Duration.ofMinutes(2);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    protected Database db;

    /** Store settings for a new, empty database with these pool limits. */
    protected abstract StoreSettings newDatabase(PoolSettings pool);

    /** A query whose one value identifies the database session of the connection it runs on. */
    protected abstract String sessionQuery();

    static PoolSettings limits(int maxConnections, Duration wait) {
        return limits(maxConnections, maxConnections, wait);
    }

    static PoolSettings limits(int maxConnections, int maxIdle, Duration wait) {
        return limits(maxConnections, maxIdle, wait, Duration.ofSeconds(30));
    }

    static PoolSettings limits(int maxConnections, int maxIdle, Duration wait, Duration idleValidation) {
        return new PoolSettings(maxConnections, maxIdle, wait, idleValidation, Duration.ofSeconds(5));
    }

    protected Database open(PoolSettings pool) {
        db = Database.open(newDatabase(pool));
        return db;
    }

    @AfterEach
    void closeDatabase() throws InterruptedException {
        release.countDown();
        threads.shutdown();
        assertThat(threads.awaitTermination(1, TimeUnit.MINUTES)).as("the holding transactions ended").isTrue();
        if (db != null) {
            db.close();
        }
    }

    /** The session of the connection a transaction gets now. */
    protected String session() {
        return db.transaction(c -> {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sessionQuery())) {
                r.next();
                return r.getString(1);
            }
        });
    }

    /** Starts transactions that each hold a connection until the test ends; returns once all hold one. */
    protected List<Future<String>> hold(int count) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(count);
        List<Future<String>> held = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            held.add(threads.submit(() -> db.transaction(c -> {
                String session;
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sessionQuery())) {
                    r.next();
                    session = r.getString(1);
                }
                holding.countDown();
                awaitRelease();
                return session;
            })));
        }
        assertThat(holding.await(1, TimeUnit.MINUTES)).as("%d transactions hold a connection", count).isTrue();
        return held;
    }

    private void awaitRelease() throws SQLException {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        }
    }

    @Test
    void givenMaxConnectionsInUse_whenAnotherTransactionFindsNoneFreeWithinTheWait_thenItFailsNamingTheSettings()
            throws Exception {
        open(limits(2, Duration.ofMillis(250)));
        List<Future<String>> held = hold(2);

        var e = StoreTestBase.thrown(CloudErrorCode.STORE_UNAVAILABLE, this::session);

        assertThat(e.getMessage()).isEqualTo(
                "no database connection free within 250 ms (maxConnections=2, connectionWaitMs=250)");
        assertThat(e.retryable()).isTrue();
        release.countDown();
        for (Future<String> f : held) {
            f.get(1, TimeUnit.MINUTES);
        }
        assertThat(session()).as("a transaction once the connections are free").isNotNull();
    }

    @Test
    void givenMaxConnectionsInUse_whenTheyAreReturned_thenTheWaitingTransactionGetsOneOfThem() throws Exception {
        open(limits(2, LONG_WAIT));
        List<Future<String>> held = hold(2);
        Future<String> waiter = threads.submit(this::session);
        await().atMost(1, TimeUnit.MINUTES).until(() -> db.connections().waiting() == 1);
        assertThat(waiter).isNotDone();

        release.countDown();

        assertThat(waiter.get(1, TimeUnit.MINUTES)).isIn(held.get(0).get(1, TimeUnit.MINUTES),
                held.get(1).get(1, TimeUnit.MINUTES));
    }

    @Test
    void givenAConnectionReturned_whenTheNextTransactionsRun_thenTheyReuseIt() {
        open(limits(4, LONG_WAIT));
        String first = session();

        assertThat(session()).isEqualTo(first);
        assertThat(session()).isEqualTo(first);
    }
}
