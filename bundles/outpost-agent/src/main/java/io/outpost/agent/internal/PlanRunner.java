package io.outpost.agent.internal;

import io.outpost.common.Backoff;
import io.outpost.common.Clock;
import io.outpost.container.ContainerEngine;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs plans and owns retry back-off. It keeps, per command id, how often the command failed in a row and
 * when; a command that failed is skipped until its cool-off ({@link Backoff}) has passed, and a failed or
 * skipped command skips the later commands of the same module in that pass. Other modules go on. The
 * statistics reset when the deployment version changes. Not thread-safe: one reconcile thread uses it.
 */
final class PlanRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PlanRunner.class);

    /** A command's failures in a row and when it last failed ({@link Clock#monotonicNanos()}). */
    private record Failures(int count, long lastNanos, String error) {
    }

    /** What a run did: each failed or skipped module's error, and the ids of the commands that succeeded. */
    record Result(Map<String, String> moduleErrors, Set<String> succeeded) {
        Result {
            moduleErrors = Map.copyOf(moduleErrors);
            succeeded = Set.copyOf(succeeded);
        }

        boolean ok() {
            return moduleErrors.isEmpty();
        }
    }

    private final ContainerEngine engine;
    private final Clock clock;
    private final Backoff backoff;
    private final Map<String, Failures> failures = new HashMap<>();
    private String version = "";

    PlanRunner(ContainerEngine engine, Clock clock, Backoff backoff) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    Result run(Plan plan, String deploymentVersion) {
        if (!deploymentVersion.equals(version)) {
            failures.clear();
            version = deploymentVersion;
        }
        Map<String, String> moduleErrors = new LinkedHashMap<>();
        Set<String> succeeded = new HashSet<>();
        for (Command command : plan.commands()) {
            if (moduleErrors.containsKey(command.module())) {
                continue;
            }
            Failures f = failures.get(command.id());
            long now = clock.monotonicNanos();
            if (f != null && !backoff.elapsed(f.count() - 1, f.lastNanos(), now)) {
                moduleErrors.put(command.module(), f.error() + " (retry in "
                        + backoff.delay(f.count() - 1).minusNanos(now - f.lastNanos()).toSeconds() + " s)");
                continue;
            }
            try {
                command.execute(engine);
                failures.remove(command.id());
                succeeded.add(command.id());
                LOG.info("command-done id={} command=\"{}\"", command.id(), command.show());
            } catch (RuntimeException e) {
                int count = f == null ? 1 : f.count() + 1;
                String error = command.show() + " failed: " + e.getMessage();
                failures.put(command.id(), new Failures(count, now, error));
                moduleErrors.put(command.module(), error);
                LOG.warn("command-failed id={} failures={} error=\"{}\"", command.id(), count, e.getMessage());
            }
        }
        return new Result(moduleErrors, succeeded);
    }
}
