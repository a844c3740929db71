package io.outpost.agent.internal;

import io.outpost.common.Clock;
import io.outpost.common.CommonErrorCode;
import io.outpost.common.OutpostException;
import io.outpost.container.ContainerEngine;
import io.outpost.container.ContainerEvent;
import io.outpost.container.ContainerInfo;
import io.outpost.container.ContainerLabels;
import io.outpost.container.ContainerSpec;
import io.outpost.container.ContainerState;
import io.outpost.container.ContainerSummary;
import io.outpost.container.HealthStatus;
import io.outpost.container.LogLine;
import io.outpost.container.LogOptions;
import io.outpost.container.RegistryCredentials;
import io.outpost.container.StreamListener;
import io.outpost.container.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An in-process container engine for unit tests of the agent's logic: it records every call and lets a test
 * make a container exit or turn unhealthy. The real engine is covered by the integration tests.
 */
final class FakeEngine implements ContainerEngine {

    final List<String> calls = new ArrayList<>();
    final Set<String> failing = new HashSet<>();
    /** The last spec each container was created from, as the engine received it. */
    final Map<String, ContainerSpec> created = new HashMap<>();
    private final Map<String, ContainerInfo> containers = new LinkedHashMap<>();
    private final Clock clock;

    FakeEngine(Clock clock) {
        this.clock = clock;
    }

    void exit(String name, int code) {
        ContainerInfo c = containers.get(name);
        containers.put(name, with(c, ContainerState.EXITED, code, HealthStatus.NONE, c.startedAt(),
                Optional.of(clock.now())));
    }

    void health(String name, HealthStatus health) {
        ContainerInfo c = containers.get(name);
        containers.put(name, with(c, c.state(), c.exitCode(), health, c.startedAt(), c.finishedAt()));
    }

    ContainerInfo get(String name) {
        return containers.get(name);
    }

    @Override
    public String engineVersion() {
        return "fake";
    }

    @Override
    public boolean imagePresent(String image) {
        return true;
    }

    @Override
    public void pull(String image, Optional<RegistryCredentials> credentials) {
        call("pull " + image);
    }

    @Override
    public String create(ContainerSpec spec) {
        call("create " + spec.name());
        created.put(spec.name(), spec);
        Map<String, String> labels = new HashMap<>(spec.labels());
        labels.put(ContainerLabels.MANAGED, "true");
        labels.put(ContainerLabels.MODULE, spec.owner().moduleId());
        labels.put(ContainerLabels.DEVICE, spec.owner().deviceId());
        labels.put(ContainerLabels.DEPLOYMENT_VERSION, spec.owner().deploymentVersion());
        labels.put(ContainerLabels.CONFIG_HASH, spec.configHash());
        containers.put(spec.name(), new ContainerInfo("id-" + spec.name(), spec.name(), spec.image(), "sha256:x",
                ContainerState.CREATED, 0, HealthStatus.NONE, "", Optional.empty(), Optional.empty(), labels));
        return "id-" + spec.name();
    }

    @Override
    public void start(String name) {
        call("start " + name);
        ContainerInfo c = containers.get(name);
        containers.put(name, with(c, ContainerState.RUNNING, 0, HealthStatus.NONE, Optional.of(clock.now()),
                c.finishedAt()));
    }

    @Override
    public void stop(String name, Duration timeout) {
        call("stop " + name);
        ContainerInfo c = containers.get(name);
        containers.put(name, with(c, ContainerState.EXITED, 0, HealthStatus.NONE, c.startedAt(),
                Optional.of(clock.now())));
    }

    @Override
    public void remove(String name) {
        call("remove " + name);
        containers.remove(name);
    }

    @Override
    public Optional<ContainerInfo> inspect(String nameOrId) {
        return containers.values().stream().filter(c -> c.id().equals(nameOrId) || c.name().equals(nameOrId))
                .findFirst();
    }

    @Override
    public List<ContainerSummary> listManaged() {
        return containers.values().stream().map(c -> new ContainerSummary(c.id(), c.name(), c.image(), c.imageId(),
                c.state(), c.labels())).toList();
    }

    @Override
    public Subscription logs(String nameOrId, LogOptions options, StreamListener<LogLine> listener) {
        throw new UnsupportedOperationException("logs are not part of the agent's logic");
    }

    @Override
    public Subscription events(Optional<Instant> since, StreamListener<ContainerEvent> listener) {
        throw new UnsupportedOperationException("events are not part of the agent's logic");
    }

    private void call(String call) {
        calls.add(call);
        String verb = call.substring(0, call.indexOf(' '));
        String target = call.substring(call.indexOf(' ') + 1);
        if (failing.contains(call) || failing.contains(verb + " *")) {
            throw new OutpostException(CommonErrorCode.UNAVAILABLE, "injected failure of " + verb + " " + target);
        }
    }

    private static ContainerInfo with(ContainerInfo c, ContainerState state, int exit, HealthStatus health,
            Optional<Instant> started, Optional<Instant> finished) {
        return new ContainerInfo(c.id(), c.name(), c.image(), c.imageId(), state, exit, health, "", started, finished,
                c.labels());
    }
}
