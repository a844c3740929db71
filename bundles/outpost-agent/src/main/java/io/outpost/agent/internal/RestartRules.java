package io.outpost.agent.internal;

import io.outpost.agent.internal.RestartDecision.Action;
import io.outpost.container.ContainerInfo;
import io.outpost.container.HealthStatus;
import io.outpost.deployment.RuntimeStatus;
import io.outpost.manifest.RestartPolicy;
import java.time.Duration;
import java.time.Instant;

/**
 * edgeAgent's restart rules, as a pure function of a container's state, the module's policy, its restart
 * statistics and the time. A module that is not running and whose policy asks for a restart ({@code always};
 * {@code on-failure} after a non-zero exit; {@code on-unhealthy} after a non-zero exit or a failing
 * HEALTHCHECK) is in back-off until {@code min(10 s x 2^restartCount, 300 s)} has passed since it exited;
 * after the maximum number of restarts it is failed and left alone; a module running for the reset period has
 * its count cleared.
 */
final class RestartRules {

    private final AgentSettings settings;

    RestartRules(AgentSettings settings) {
        this.settings = settings;
    }

    /** The decision for a container of a module that should be running. */
    RestartDecision decide(RestartPolicy policy, ContainerInfo container, RestartStats stats, Instant now) {
        return switch (container.state()) {
            case RUNNING -> running(policy, container, stats, now);
            case CREATED -> new RestartDecision(RuntimeStatus.UNKNOWN, "created, starting", Action.START);
            case EXITED, DEAD -> exited(policy, container, stats, now);
            case RESTARTING, PAUSED, REMOVING, UNKNOWN -> RestartDecision.of(RuntimeStatus.UNKNOWN,
                    "container is " + container.state().name().toLowerCase(java.util.Locale.ROOT));
        };
    }

    private RestartDecision running(RestartPolicy policy, ContainerInfo c, RestartStats stats, Instant now) {
        if (c.health() == HealthStatus.UNHEALTHY) {
            if (policy != RestartPolicy.ON_UNHEALTHY) {
                return RestartDecision.of(RuntimeStatus.UNHEALTHY, "healthcheck failing");
            }
            if (stats.restartCount() >= settings.maxRestarts()) {
                return RestartDecision.of(RuntimeStatus.UNHEALTHY,
                        "healthcheck failing; restarted " + stats.restartCount() + " times, not restarted again");
            }
            Instant since = stats.lastRestart().or(c::startedAt).orElse(now);
            Duration wait = settings.restartBackoff().delay(stats.restartCount());
            if (!now.isBefore(since.plus(wait))) {
                return new RestartDecision(RuntimeStatus.UNHEALTHY, "healthcheck failing, restarting",
                        Action.RESTART_UNHEALTHY);
            }
            return RestartDecision.waiting(RuntimeStatus.UNHEALTHY, "healthcheck failing, restart at " + since.plus(wait),
                    since.plus(wait));
        }
        RuntimeStatus status = RuntimeStatus.RUNNING;
        String description = c.health() == HealthStatus.STARTING ? "running, healthcheck starting" : "running";
        boolean longEnough = c.startedAt().map(s -> !now.isBefore(s.plus(settings.restartCountReset())))
                .orElse(false);
        if (stats.restartCount() > 0 && longEnough) {
            return new RestartDecision(status, description, Action.CLEAR_COUNT);
        }
        return RestartDecision.of(status, description);
    }

    private RestartDecision exited(RestartPolicy policy, ContainerInfo c, RestartStats stats, Instant now) {
        int exit = c.exitCode();
        boolean restart = switch (policy) {
            case ALWAYS -> true;
            case ON_FAILURE, ON_UNHEALTHY -> exit != 0;
            case NEVER -> false;
        };
        if (!restart) {
            return exit == 0 ? RestartDecision.of(RuntimeStatus.STOPPED, "exited with code 0")
                    : RestartDecision.of(RuntimeStatus.FAILED, "exited with code " + exit
                            + "; restart policy " + policy.wireName() + " does not restart it");
        }
        if (stats.restartCount() >= settings.maxRestarts()) {
            return RestartDecision.of(RuntimeStatus.FAILED, "exited with code " + exit + "; restarted "
                    + stats.restartCount() + " times, not restarted again until the next deployment");
        }
        Instant exitedAt = c.finishedAt().orElse(now);
        Instant restartAt = exitedAt.plus(settings.restartBackoff().delay(stats.restartCount()));
        if (now.isBefore(restartAt)) {
            return RestartDecision.waiting(RuntimeStatus.BACKOFF, "exited with code " + exit + "; restart at " + restartAt,
                    restartAt);
        }
        return new RestartDecision(RuntimeStatus.BACKOFF, "exited with code " + exit + ", restarting", Action.RESTART);
    }
}
