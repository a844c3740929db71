package io.outpost.bench.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** The memory of one process, from {@code /proc/<pid>/status}, with a sampler of its peak RSS (every 100 ms). */
final class Rss implements AutoCloseable {

    private final long pid;
    private final AtomicLong peakKb = new AtomicLong();
    private final Thread sampler;

    Rss(long pid) {
        this.pid = pid;
        this.sampler = new Thread(this::sample, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** VmRSS in KiB (0 when the process is gone). */
    long nowKb() {
        return field("VmRSS");
    }

    /** VmHWM in KiB: the peak RSS since the process started. */
    long highWaterMarkKb() {
        return field("VmHWM");
    }

    /** Starts a new peak. */
    void resetPeak() {
        peakKb.set(0);
    }

    /** The peak sampled since {@link #resetPeak()}. */
    long peakKb() {
        return peakKb.get();
    }

    private long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(name + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private void sample() {
        while (!Thread.currentThread().isInterrupted()) {
            peakKb.accumulateAndGet(nowKb(), Math::max);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        sampler.interrupt();
    }
}
