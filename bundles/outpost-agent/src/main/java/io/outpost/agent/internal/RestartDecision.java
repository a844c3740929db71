package io.outpost.agent.internal;

import io.outpost.deployment.RuntimeStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the restart rules say about a module's container: its runtime status, the description to report and
 * what to do now; while a restart waits out its cool-off, the time it becomes due.
 */
record RestartDecision(RuntimeStatus status, String description, Action action, Optional<Instant> restartAt) {

    enum Action {
        /** Nothing to do. */
        NONE,
        /** Start the created or exited container. */
        START,
        /** Start it as a restart: counts against the restart budget. */
        RESTART,
        /** Stop and start a running but unhealthy container: counts against the restart budget. */
        RESTART_UNHEALTHY,
        /** Running long enough: clear the restart count. */
        CLEAR_COUNT
    }

    RestartDecision {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(restartAt, "restartAt");
    }

    RestartDecision(RuntimeStatus status, String description, Action action) {
        this(status, description, action, Optional.empty());
    }

    /** Nothing to do until {@code restartAt}, when the cool-off is over and the restart is due. */
    static RestartDecision waiting(RuntimeStatus status, String description, Instant restartAt) {
        return new RestartDecision(status, description, Action.NONE, Optional.of(restartAt));
    }

    static RestartDecision of(RuntimeStatus status, String description) {
        return new RestartDecision(status, description, Action.NONE);
    }
}
