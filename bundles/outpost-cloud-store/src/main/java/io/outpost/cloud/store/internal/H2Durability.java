package io.outpost.cloud.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a commit to an H2 database durable before it returns, so that the cloud answers a write (a PUBACK, a 202)
 * only once it would survive a crash. H2 by default keeps committed changes in memory for up to its write delay
 * ({@code WRITE_DELAY}, 500 ms: MVStore's auto-commit delay) before it writes them, and never forces them to the
 * device on commit. So: each new connection sets {@code WRITE_DELAY 0}, with which every commit that changed
 * something writes its MVStore chunk to the file before it returns (survives the process being killed), and after
 * each commit {@code CHECKPOINT SYNC} forces the file to the device (survives a power loss). Commits of several
 * connections share one sync: a commit waits for a sync that started after it, and the first waiting commit runs
 * it. A {@code WRITE_DELAY} in the URL is kept (the sync writes what is committed first, so commits stay durable).
 * Both commands need the user to be an admin of the database; for another user both are left out, logged once.
 * PostgreSQL needs neither: it syncs its log on commit ({@code synchronous_commit = on}).
 */
final class H2Durability {

    static final String WRITE_DELAY = "WRITE_DELAY";
    /** H2's error code when a command needs admin rights. */
    private static final int ADMIN_RIGHTS_REQUIRED = 90040;
    private static final Logger LOG = LoggerFactory.getLogger(H2Durability.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    private long requested;
    private long synced;
    private boolean syncing;
    private final AtomicBoolean enabled = new AtomicBoolean(true);

    /** Whether the URL names an H2 database on disk (not {@code jdbc:h2:mem:}), whose commits need this. */
    static boolean applies(String url) {
        return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
    }

    /** Whether the URL sets {@code WRITE_DELAY} itself (then it is kept). */
    static boolean urlSetsWriteDelay(String url) {
        return url.toUpperCase(Locale.ROOT).contains(";" + WRITE_DELAY + "=");
    }

    /**
     * Prepares a new connection: sets the database's write delay to 0 unless the URL sets one. A user without
     * admin rights cannot: then neither this nor the sync is done, logged once.
     */
    void prepare(Connection c, String url) throws SQLException {
        if (!enabled.get() || urlSetsWriteDelay(url)) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET " + WRITE_DELAY + " 0");
        } catch (SQLException e) {
            notAdmin(e);
        }
    }

    /**
     * Returns once the database file was forced to the device by a sync that started after this call: every
     * commit that returned before it is then on disk. Runs {@code CHECKPOINT SYNC} on {@code c} when no other
     * commit is running one.
     */
    void sync(Connection c) throws SQLException {
        if (!enabled.get()) {
            return;
        }
        lock.lock();
        try {
            long ticket = ++requested;
            while (synced < ticket) {
                if (syncing) {
                    finished.awaitUninterruptibly();
                    continue;
                }
                syncing = true;
                long covers = requested;
                lock.unlock();
                try {
                    checkpointSync(c);
                } finally {
                    lock.lock();
                    syncing = false;
                    finished.signalAll();
                }
                synced = Math.max(synced, covers);
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkpointSync(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            notAdmin(e);
        }
    }

    /** Rethrows anything but H2's refusal for want of admin rights; after that refusal stops both, logged once. */
    private void notAdmin(SQLException e) throws SQLException {
        if (e.getErrorCode() != ADMIN_RIGHTS_REQUIRED) {
            throw e;
        }
        if (enabled.compareAndSet(true, false)) {
            LOG.warn("cloud-store-sync-unavailable reason=\"the H2 user is not an admin of the database: commits may "
                    + "be answered before they are written (WRITE_DELAY) and are not forced to the device; connect "
                    + "as the database's admin\"");
        }
    }
}
