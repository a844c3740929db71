package io.outpost.agent.internal;

import io.outpost.container.ContainerInfo;
import io.outpost.manifest.DeploymentManifest;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the planner looks at: the desired manifest and its version, the managed containers as read from
 * the engine in this pass (by module), restart statistics, restart requests, since when each startup-order
 * group has been waited for, and the time.
 */
record PlanInput(DeploymentManifest desired, String version, Map<String, ContainerInfo> current,
        Map<String, RestartStats> stats, Set<String> restartRequests, Map<Long, Instant> blockedSince,
        Instant now) {

    PlanInput {
        Objects.requireNonNull(desired, "desired");
        Objects.requireNonNull(version, "version");
        current = Map.copyOf(current);
        stats = Map.copyOf(stats);
        restartRequests = Set.copyOf(restartRequests);
        blockedSince = Map.copyOf(blockedSince);
        Objects.requireNonNull(now, "now");
    }

    RestartStats statsOf(String module) {
        return stats.getOrDefault(module, RestartStats.NONE);
    }
}
