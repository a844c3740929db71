package io.outpost.container;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An engine event about a managed container. {@code action} is the engine's word: {@code create},
 * {@code start}, {@code die}, {@code stop}, {@code kill}, {@code destroy}, {@code health_status: unhealthy}, ...
 * {@code attributes} holds the container's labels and the event's details (name, image, exitCode).
 */
public record ContainerEvent(String containerId, String action, Instant time, Map<String, String> attributes) {

    public ContainerEvent {
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(time, "time");
        attributes = Map.copyOf(attributes);
    }

    /** The container's name (without the engine's leading slash), or empty text. */
    public String containerName() {
        return attributes.getOrDefault("name", "");
    }

    /** The module the container runs, from its {@link ContainerLabels#MODULE} label, or empty text. */
    public String module() {
        return attributes.getOrDefault(ContainerLabels.MODULE, "");
    }

    /** The exit code of a {@code die} event. */
    public OptionalInt exitCode() {
        String code = attributes.get("exitCode");
        if (code == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(code.trim()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
