package io.outpost.container;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A managed container's state as inspected: its engine state, exit code (0 when it never exited), health,
 * the engine's error text (empty when none), start and finish times (empty when it never started or never
 * finished) and labels.
 */
public record ContainerInfo(String id, String name, String image, String imageId, ContainerState state,
        int exitCode, HealthStatus health, String error, Optional<Instant> startedAt,
        Optional<Instant> finishedAt, Map<String, String> labels) {

    public ContainerInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        labels = Map.copyOf(labels);
    }

    /** The module this container runs, from its {@link ContainerLabels#MODULE} label, or empty text. */
    public String module() {
        return labels.getOrDefault(ContainerLabels.MODULE, "");
    }

    /** The {@link ContainerSpec#configHash()} it was created from, or empty text. */
    public String configHash() {
        return labels.getOrDefault(ContainerLabels.CONFIG_HASH, "");
    }
}
