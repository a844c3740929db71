package io.outpost.bench.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Samples a process's resident set ({@code VmRSS} of {@code /proc/<pid>/status}) every 200 ms, keeping the peak. */
final class RssSampler implements AutoCloseable {

    private final long pid;
    private final Thread thread;
    private volatile long peakKb;
    private volatile boolean stopped;

    RssSampler(long pid) {
        this.pid = pid;
        this.thread = new Thread(() -> {
            while (!stopped) {
                peakKb = Math.max(peakKb, currentKb());
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "hub-bench-rss-" + pid);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The resident set now, in kB (0 when the process is gone). */
    long currentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    long peakKb() {
        return Math.max(peakKb, currentKb());
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
