package io.outpost.common;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * A budget of log lines per period for events whose keys an attacker chooses (client ids of refused connections,
 * say): at most {@code perSource} lines per source (a remote address) and {@code inAll} lines from all sources
 * together in each period. The map of sources holds at most {@code inAll} entries (one per line let through) and
 * starts afresh each period, so a flood of sources cannot grow it. When a period ends with lines left out, the
 * next call reports how many before it decides. Thread-safe. Use it behind a {@link RateLimitedLog}, which
 * repeats nothing per key; this bounds what distinct keys can add.
 */
public final class LogBudget {

    private final long periodNanos;
    private final int perSource;
    private final int inAll;
    private final Map<String, Integer> bySource = new HashMap<>();
    private long windowStart;
    private boolean started;
    private int lines;
    private long leftOut;

    /**
     * @param period    the length of a period
     * @param perSource lines let through per source and period, at least 1
     * @param inAll     lines let through from all sources per period, at least {@code perSource}
     */
    public LogBudget(long period, TimeUnit unit, int perSource, int inAll) {
        if (period <= 0 || perSource < 1 || inAll < perSource) {
            throw new IllegalArgumentException("period must be positive, perSource at least 1 and inAll at least "
                    + "perSource: " + period + ", " + perSource + ", " + inAll);
        }
        this.periodNanos = unit.toNanos(period);
        this.perSource = perSource;
        this.inAll = inAll;
    }

    /**
     * Whether a line from {@code source} may be logged now. When a new period starts after lines were left out,
     * {@code leftOutReport} is called first with their number (to log one line saying so).
     */
    public synchronized boolean admit(String source, long nowNanos, LongConsumer leftOutReport) {
        if (!started || nowNanos - windowStart >= periodNanos) {
            if (leftOut > 0) {
                leftOutReport.accept(leftOut);
            }
            started = true;
            windowStart = nowNanos;
            bySource.clear();
            lines = 0;
            leftOut = 0;
        }
        int fromSource = bySource.getOrDefault(source, 0);
        if (lines >= inAll || fromSource >= perSource) {
            leftOut++;
            return false;
        }
        bySource.put(source, fromSource + 1);
        lines++;
        return true;
    }

    /** The host part of a remote address written {@code host:port} (IPv6 hosts may contain colons). */
    public static String hostOf(String remote) {
        if (remote == null) {
            return "";
        }
        int colon = remote.lastIndexOf(':');
        return colon > 0 ? remote.substring(0, colon) : remote;
    }
}
