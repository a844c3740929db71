package io.outpost.common;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * At most one log line per key (e.g. a client identity) and period; the next line that is let through carries
 * the number of lines suppressed in between. Holds at most {@value #MAX_KEYS} keys (then starts afresh), so a
 * flood of distinct keys cannot grow it without bound. Thread-safe.
 */
public final class RateLimitedLog {

    /** Keys remembered at most. */
    public static final int MAX_KEYS = 10_000;

    private final long periodNanos;
    private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimitedLog(long period, TimeUnit unit) {
        this.periodNanos = unit.toNanos(period);
    }

    private static final class Window {
        volatile long start;
        final AtomicLong suppressed = new AtomicLong();

        Window(long start) {
            this.start = start;
        }
    }

    /** Calls {@code log} with the count suppressed since the last line, unless the key logged within the period. */
    public void log(String key, long nowNanos, LongConsumer log) {
        if (windows.size() >= MAX_KEYS) {
            windows.clear();
        }
        Window fresh = new Window(nowNanos);
        Window window = windows.putIfAbsent(key, fresh);
        if (window == null) {
            log.accept(0);
            return;
        }
        synchronized (window) {
            if (nowNanos - window.start >= periodNanos) {
                window.start = nowNanos;
                log.accept(window.suppressed.getAndSet(0));
                return;
            }
            window.suppressed.incrementAndGet();
        }
    }
}
