package io.outpost.bench.hub;

import java.util.Locale;

/** Prints a scenario's counters to stderr every few seconds while it runs. */
final class Progress implements AutoCloseable {

    private static final long PERIOD_MS = 3_000;

    private final Thread thread;
    private volatile boolean stopped;

    Progress(String label, Ledger ledger, Receiver receiver) {
        long t0 = System.nanoTime();
        thread = new Thread(() -> {
            int last = 0;
            while (!stopped) {
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
                if (stopped) {
                    return;
                }
                int received = receiver.unique();
                System.err.printf(Locale.ROOT, "hub-bench: %-28s %5.0f s: published %d, acked %d, received %d "
                        + "(%.0f msg/s)%n", label, (System.nanoTime() - t0) / 1e9, ledger.publishedCount(),
                        ledger.acked(), received, (received - last) * 1000.0 / PERIOD_MS);
                last = received;
            }
        }, "hub-bench-progress");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
