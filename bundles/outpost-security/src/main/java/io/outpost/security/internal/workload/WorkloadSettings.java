package io.outpost.security.internal.workload;

import java.time.Duration;

/**
 * Limits of the workload API server, so that no module can starve the others of signatures.
 *
 * @param threads             connections served at once, over all modules
 * @param queue               accepted connections that may wait for a thread; beyond it the server answers 503
 * @param connectionsPerModule open connections one module's socket may hold; beyond it the server answers 503
 * @param readTimeout         how long a connection may take to send a whole request (head and body), and how long
 *                            it may stay idle between requests, before it is closed
 */
public record WorkloadSettings(int threads, int queue, int connectionsPerModule, Duration readTimeout) {

    /** What {@code etc/io.outpost.security.cfg} ships with. */
    public static final WorkloadSettings DEFAULTS = new WorkloadSettings(16, 64, 4, Duration.ofSeconds(10));

    public WorkloadSettings {
        positive(threads, "workloadThreads");
        if (queue < 0) {
            throw new IllegalArgumentException("workloadQueue must be 0 or more: " + queue);
        }
        positive(connectionsPerModule, "workloadConnectionsPerModule");
        if (readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("workloadReadTimeoutSeconds must be at least 1: " + readTimeout);
        }
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + value);
        }
    }
}
