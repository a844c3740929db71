package io.outpost.bench.hub;

import java.util.List;

/**
 * What one scenario measured against one target, and what its verification found.
 *
 * @param requested   messages the scenario was to send
 * @param published   messages handed to the broker (a time-capped run sends fewer)
 * @param missing     published sequence numbers that never arrived: a failure
 * @param rate        msg/s received (all-out: first send to last receipt; drain: first to last receipt)
 * @param latencyMs   p50, p99, p99.9 from the intended send time (paced scenario), else null
 * @param backlog     paced scenario: messages due but not received 5 s after the last was due, else -1
 * @param firstAfterMs drain: from the subscriber's reconnect to its first message, else -1
 * @param error       what stopped the scenario (connection refused or lost, publish failed), or null
 */
record Outcome(String scenario, String target, int requested, int published, int acked, int received,
        int duplicates, List<Integer> duplicateSeqs, int strays, int missing, List<Integer> missingSeqs,
        boolean capped, double seconds, double rate, double[] latencyMs, int backlog, double firstAfterMs,
        String error) {

    /** Whether a message was lost or the scenario could not run: the benchmark fails. */
    boolean failed() {
        return missing > 0 || error != null;
    }
}
