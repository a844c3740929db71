package io.outpost.agent.internal;

import io.outpost.deployment.RuntimeStatus;
import java.util.Objects;

/**
 * What the restart rules say about a module's container: its runtime status, the description to report and
 * what to do now.
 */
record RestartDecision(RuntimeStatus status, String description, Action action) {

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
    }

    static RestartDecision of(RuntimeStatus status, String description) {
        return new RestartDecision(status, description, Action.NONE);
    }
}
