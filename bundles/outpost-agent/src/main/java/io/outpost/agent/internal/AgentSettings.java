package io.outpost.agent.internal;

import io.outpost.common.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The agent's settings, validated. Defaults follow edgeAgent: restart cool-off 10 s doubled per restart up to
 * 300 s, failed after 20 restarts, counters cleared after 10 minutes of running.
 */
record AgentSettings(String deviceId, Path dataDir, Duration reconcileInterval, Duration stopTimeout,
        Backoff restartBackoff, int maxRestarts, Duration restartCountReset, Duration startupWait,
        Duration rollbackWindow, RollbackPolicy rollbackPolicy) {

    enum RollbackPolicy { ROLLBACK, KEEP }

    AgentSettings {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(dataDir, "dataDir");
        requirePositive(reconcileInterval, "reconcileIntervalSecs");
        requirePositive(stopTimeout, "stopTimeoutSecs");
        Objects.requireNonNull(restartBackoff, "restartBackoff");
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must not be negative: " + maxRestarts);
        }
        requirePositive(restartCountReset, "restartCountResetSecs");
        requirePositive(startupWait, "startupWaitSecs");
        requirePositive(rollbackWindow, "rollbackWindowSecs");
        Objects.requireNonNull(rollbackPolicy, "rollbackPolicy");
        if (deviceId.isBlank()) {
            throw new IllegalArgumentException("deviceId must not be blank");
        }
    }

    /** edgeAgent's rules with the given device id and data folder. */
    static AgentSettings defaults(String deviceId, Path dataDir) {
        return new AgentSettings(deviceId, dataDir, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Backoff.azureModuleRestart(), 20, Duration.ofMinutes(10), Duration.ofSeconds(60),
                Duration.ofSeconds(120), RollbackPolicy.ROLLBACK);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d.toSeconds());
        }
    }
}
