package io.outpost.agent.internal;

import io.outpost.deployment.ModuleStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The planner's answer for one pass: the ordered commands, each module's status as observed, the modules
 * whose start is a restart (counted once it succeeds), the modules whose restart count is cleared, and the
 * first startup-order group that is not ready yet (later groups wait for it), and the earliest time a module's
 * restart cool-off ends (a pass then restarts it).
 */
record Plan(List<Command> commands, List<ModuleStatus> statuses, Set<String> restarts, Set<String> clears,
        Optional<Long> blockedGroup, Optional<Instant> nextRestart) {

    Plan {
        commands = List.copyOf(commands);
        statuses = List.copyOf(statuses);
        restarts = Set.copyOf(restarts);
        clears = Set.copyOf(clears);
    }

    boolean isEmpty() {
        return commands.isEmpty();
    }
}
