package io.outpost.iothub.internal;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for the listener's event loops, named like the other components' threads ({@code outpost-iothub-io},
 * {@code outpost-iothub-io-2}, ...) and daemon, but of Netty's own thread class: Netty keeps its per-thread state
 * (the pooled allocator's buffer caches, the decoder's scratch arrays) only on such threads, and allocates afresh on
 * any other.
 */
final class EventLoopThreads {

    private EventLoopThreads() {
    }

    static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            int n = count.incrementAndGet();
            Thread t = new FastThreadLocalThread(runnable, n == 1 ? name : name + "-" + n);
            t.setDaemon(true);
            return t;
        };
    }
}
