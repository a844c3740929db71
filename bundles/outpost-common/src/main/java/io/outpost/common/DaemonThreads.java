package io.outpost.common;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for the executors components own: daemon threads (they never keep the framework from
 * stopping) named after their component ({@code outpost-agent}, {@code outpost-agent-2}, ...), so that a
 * thread dump says whose work is running.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            int n = count.incrementAndGet();
            Thread t = new Thread(runnable, n == 1 ? name : name + "-" + n);
            t.setDaemon(true);
            return t;
        };
    }
}
