package io.outpost.agent.internal;

import io.outpost.agent.internal.RestartDecision.Action;
import io.outpost.container.ContainerInfo;
import io.outpost.container.ContainerLabels;
import io.outpost.container.ContainerOwner;
import io.outpost.container.ContainerSpec;
import io.outpost.container.ContainerState;
import io.outpost.container.HealthStatus;
import io.outpost.container.RegistryCredentials;
import io.outpost.deployment.ModuleStatus;
import io.outpost.deployment.RuntimeStatus;
import io.outpost.manifest.DesiredStatus;
import io.outpost.manifest.ImagePullPolicy;
import io.outpost.manifest.ModuleSpec;
import io.outpost.manifest.RegistryCredential;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns (desired, current, time) into an ordered {@link Plan}: a pure function, no engine calls. Order: image
 * pulls first, then removal of modules no longer desired, then group by group in ascending startupOrder:
 * stops and removals, creations, starts. A group starts only once every lower group is running (and healthy
 * where it has a healthcheck), or once it has been waited for longer than the startup wait.
 */
final class Planner {

    private final AgentSettings settings;
    private final RestartRules rules;
    private final ModuleHooks hooks;

    Planner(AgentSettings settings) {
        this(settings, ModuleHooks.none());
    }

    Planner(AgentSettings settings, ModuleHooks hooks) {
        this.settings = settings;
        this.rules = new RestartRules(settings);
        this.hooks = hooks;
    }

    Plan plan(PlanInput in) {
        PlanBuilder plan = new PlanBuilder();
        in.current().keySet().stream().filter(m -> !in.desired().modules().containsKey(m)).sorted()
                .forEach(m -> plan.retire(m, in.current().get(m), settings, hooks));
        Optional<Long> blocked = Optional.empty();
        for (Map.Entry<Long, List<ModuleSpec>> group : groups(in).entrySet()) {
            boolean held = blocked.isPresent();
            for (ModuleSpec spec : group.getValue()) {
                planModule(in, spec, held, plan);
            }
            plan.endGroup();
            if (blocked.isEmpty() && !groupReady(in, group.getValue())) {
                Long order = group.getKey();
                boolean waitedLongEnough = Optional.ofNullable(in.blockedSince().get(order))
                        .map(since -> !in.now().isBefore(since.plus(settings.startupWait()))).orElse(false);
                if (!waitedLongEnough) {
                    blocked = Optional.of(order);
                }
            }
        }
        return plan.build(blocked);
    }

    private static TreeMap<Long, List<ModuleSpec>> groups(PlanInput in) {
        TreeMap<Long, List<ModuleSpec>> groups = new TreeMap<>();
        in.desired().modules().values()
                .forEach(m -> groups.computeIfAbsent(m.startupOrder(), k -> new ArrayList<>()).add(m));
        return groups;
    }

    private static boolean groupReady(PlanInput in, List<ModuleSpec> group) {
        return group.stream().allMatch(m -> m.status() == DesiredStatus.STOPPED
                || Optional.ofNullable(in.current().get(m.name()))
                        .filter(c -> c.state() == ContainerState.RUNNING)
                        .filter(c -> c.health() == HealthStatus.NONE || c.health() == HealthStatus.HEALTHY)
                        .isPresent());
    }

    /** Plans one module; {@code held} means a lower startup-order group is not ready: no create or start. */
    private void planModule(PlanInput in, ModuleSpec spec, boolean held, PlanBuilder plan) {
        ContainerSpec wanted = containerSpec(in, spec);
        ContainerInfo current = in.current().get(spec.name());
        RestartStats stats = in.statsOf(spec.name());
        boolean running = spec.status() == DesiredStatus.RUNNING;
        if (current == null || !wanted.configHash().equals(current.labels().get(ContainerLabels.CONFIG_HASH))) {
            String what = current == null ? "creating" : "updating";
            if (held) {
                plan.status(spec, current, stats, RuntimeStatus.UNKNOWN, "waiting for lower startupOrder groups");
                return;
            }
            if (current != null) {
                plan.stopAndRemove(spec.name(), current, settings);
            }
            if (spec.imagePullPolicy() == ImagePullPolicy.ON_CREATE) {
                plan.pull(new Commands.Pull(spec.name(), spec.image(), credentials(in, spec.image())));
            }
            plan.add(new Commands.Create(wanted, hooks));
            if (running) {
                plan.add(new Commands.Start(spec.name()));
            }
            plan.status(spec, current, stats, running ? RuntimeStatus.UNKNOWN : RuntimeStatus.STOPPED, what);
            return;
        }
        if (!running) {
            if (current.state() == ContainerState.RUNNING) {
                plan.add(new Commands.Stop(spec.name(), settings.stopTimeout()));
            }
            plan.status(spec, current, stats, RuntimeStatus.STOPPED, "stopped as desired");
            return;
        }
        if (in.restartRequests().contains(spec.name()) && !held) {
            if (current.state() == ContainerState.RUNNING) {
                plan.add(new Commands.Stop(spec.name(), settings.stopTimeout()));
            }
            plan.add(new Commands.Start(spec.name()));
            plan.status(spec, current, stats, RuntimeStatus.UNKNOWN, "restarting on request");
            return;
        }
        RestartDecision decision = rules.decide(spec.restartPolicy(), current, stats, in.now());
        plan.decided(spec, current, stats, decision, held, settings);
    }

    private ContainerSpec containerSpec(PlanInput in, ModuleSpec spec) {
        return new ContainerSpec(spec.name(), spec.image(), spec.createOptions(), spec.env(), Map.of(),
                new ContainerOwner(settings.deviceId(), spec.name(), in.version()));
    }

    /** The credentials whose address is the image's registry host, if the manifest has them. */
    static Optional<RegistryCredentials> credentials(PlanInput in, String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String host = image.substring(0, slash);
        return in.desired().runtime().registryCredentials().values().stream()
                .filter(c -> registryHost(c.address()).equalsIgnoreCase(host)).findFirst()
                .map(Planner::toEngine);
    }

    private static String registryHost(String address) {
        String a = address.replaceFirst("^[a-zA-Z]+://", "");
        int slash = a.indexOf('/');
        return slash < 0 ? a : a.substring(0, slash);
    }

    private static RegistryCredentials toEngine(RegistryCredential c) {
        return new RegistryCredentials(c.address(), c.username(), c.password());
    }

    /** Accumulates commands and statuses in plan order. */
    private static final class PlanBuilder {
        private final List<Command> pulls = new ArrayList<>();
        private final List<Command> retirements = new ArrayList<>();
        private final List<Command> steps = new ArrayList<>();
        private final List<ModuleStatus> statuses = new ArrayList<>();
        private final Set<String> restarts = new HashSet<>();
        private Optional<Instant> nextRestart = Optional.empty();
        private final Set<String> clears = new HashSet<>();
        private int groupStart;

        void retire(String module, ContainerInfo current, AgentSettings settings, ModuleHooks hooks) {
            if (current.state() == ContainerState.RUNNING) {
                retirements.add(new Commands.Stop(module, settings.stopTimeout()));
            }
            retirements.add(new Commands.Remove(module));
            retirements.add(new Commands.Retire(settings.deviceId(), module, hooks));
        }

        void stopAndRemove(String module, ContainerInfo current, AgentSettings settings) {
            if (current.state() == ContainerState.RUNNING) {
                steps.add(new Commands.Stop(module, settings.stopTimeout()));
            }
            steps.add(new Commands.Remove(module));
        }

        /** Within a startup-order group: stops, then removals, then creations, then starts. */
        void endGroup() {
            steps.subList(groupStart, steps.size()).sort(java.util.Comparator.comparingInt(PlanBuilder::rank));
            groupStart = steps.size();
        }

        private static int rank(Command c) {
            if (c instanceof Commands.Stop) {
                return 0;
            }
            if (c instanceof Commands.Remove) {
                return 1;
            }
            return c instanceof Commands.Create ? 2 : 3;
        }

        void pull(Command pull) {
            pulls.add(pull);
        }

        void add(Command command) {
            steps.add(command);
        }

        void decided(ModuleSpec spec, ContainerInfo current, RestartStats stats, RestartDecision d, boolean held,
                AgentSettings settings) {
            switch (d.action()) {
                case START -> {
                    if (!held) {
                        steps.add(new Commands.Start(spec.name()));
                    }
                }
                case RESTART -> {
                    steps.add(new Commands.Start(spec.name()));
                    restarts.add(spec.name());
                }
                case RESTART_UNHEALTHY -> {
                    steps.add(new Commands.Stop(spec.name(), settings.stopTimeout()));
                    steps.add(new Commands.Start(spec.name()));
                    restarts.add(spec.name());
                }
                case CLEAR_COUNT -> clears.add(spec.name());
                case NONE -> d.restartAt().filter(t -> nextRestart.map(t::isBefore).orElse(true))
                        .ifPresent(t -> nextRestart = Optional.of(t));
            }
            RestartStats shown = d.action() == Action.CLEAR_COUNT ? stats.cleared() : stats;
            status(spec, current, shown, d.status(), d.description());
        }

        void status(ModuleSpec spec, ContainerInfo c, RestartStats stats, RuntimeStatus status, String description) {
            Optional<ContainerInfo> ci = Optional.ofNullable(c);
            statuses.add(new ModuleStatus(spec.name(), spec.status().wireName(), status, description,
                    ci.map(ContainerInfo::exitCode).orElse(0), stats.restartCount(),
                    ci.flatMap(ContainerInfo::startedAt), ci.flatMap(ContainerInfo::finishedAt), stats.lastRestart(),
                    spec.image(), spec.restartPolicy().wireName(), spec.startupOrder(),
                    ci.map(ContainerInfo::health).flatMap(Planner::healthy)));
        }

        Plan build(Optional<Long> blocked) {
            List<Command> all = new ArrayList<>(pulls);
            all.addAll(retirements);
            all.addAll(steps);
            return new Plan(all, statuses, restarts, clears, blocked, nextRestart);
        }
    }

    private static Optional<Boolean> healthy(HealthStatus h) {
        return switch (h) {
            case HEALTHY -> Optional.of(true);
            case UNHEALTHY -> Optional.of(false);
            case NONE, STARTING -> Optional.empty();
        };
    }
}
