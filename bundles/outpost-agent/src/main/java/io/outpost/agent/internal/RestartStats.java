package io.outpost.agent.internal;

import java.time.Instant;
import java.util.Optional;

/** What the agent remembers of a module across passes and restarts: its restart count and last restart. */
record RestartStats(int restartCount, Optional<Instant> lastRestart) {

    static final RestartStats NONE = new RestartStats(0, Optional.empty());

    RestartStats {
        if (restartCount < 0) {
            throw new IllegalArgumentException("restartCount must not be negative");
        }
    }

    RestartStats restarted(Instant at) {
        return new RestartStats(restartCount + 1, Optional.of(at));
    }

    RestartStats cleared() {
        return new RestartStats(0, lastRestart);
    }
}
