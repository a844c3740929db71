package io.outpost.container.docker.internal;

import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.outpost.container.ContainerEvent;
import io.outpost.container.ContainerInfo;
import io.outpost.container.ContainerLabels;
import io.outpost.container.ContainerState;
import io.outpost.container.ContainerSummary;
import io.outpost.container.HealthStatus;
import io.outpost.container.LogLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/** Maps docker-java's model objects to the values of the container API. */
final class DockerModels {

    private DockerModels() {
    }

    static boolean isManaged(Map<String, String> labels) {
        return labels != null && "true".equals(labels.get(ContainerLabels.MANAGED));
    }

    static Map<String, String> labels(InspectContainerResponse inspected) {
        if (inspected.getConfig() == null || inspected.getConfig().getLabels() == null) {
            return Map.of();
        }
        return inspected.getConfig().getLabels();
    }

    static ContainerInfo toInfo(InspectContainerResponse inspected) {
        InspectContainerResponse.ContainerState state = inspected.getState();
        String image = inspected.getConfig() == null ? "" : orEmpty(inspected.getConfig().getImage());
        if (state == null) {
            return new ContainerInfo(inspected.getId(), stripSlash(inspected.getName()), image,
                    orEmpty(inspected.getImageId()), ContainerState.UNKNOWN, 0, HealthStatus.NONE, "",
                    Optional.empty(), Optional.empty(), labels(inspected));
        }
        Long exitCode = state.getExitCodeLong();
        HealthState health = state.getHealth();
        return new ContainerInfo(inspected.getId(), stripSlash(inspected.getName()), image,
                orEmpty(inspected.getImageId()), ContainerState.fromEngine(state.getStatus()),
                exitCode == null ? 0 : exitCode.intValue(),
                HealthStatus.fromEngine(health == null ? null : health.getStatus()), orEmpty(state.getError()),
                parseTime(state.getStartedAt()), parseTime(state.getFinishedAt()), labels(inspected));
    }

    static ContainerSummary toSummary(Container container) {
        String[] names = container.getNames();
        String name = names == null || names.length == 0 ? "" : stripSlash(names[0]);
        return new ContainerSummary(container.getId(), name, orEmpty(container.getImage()),
                orEmpty(container.getImageId()), ContainerState.fromEngine(container.getState()),
                container.getLabels() == null ? Map.of() : container.getLabels());
    }

    static LogLine toLogLine(Frame frame) {
        LogLine.Stream stream = frame.getStreamType() == StreamType.STDERR ? LogLine.Stream.STDERR : LogLine.Stream.STDOUT;
        return new LogLine(stream, new String(frame.getPayload(), StandardCharsets.UTF_8));
    }

    /** The event about a container, or {@code null} for events that concern no container. */
    static ContainerEvent toEvent(Event event) {
        String id = event.getActor() != null && event.getActor().getId() != null ? event.getActor().getId() : event.getId();
        String action = event.getAction() != null ? event.getAction() : event.getStatus();
        if (id == null || action == null) {
            return null;
        }
        Instant time = event.getTimeNano() != null
                ? Instant.EPOCH.plusNanos(event.getTimeNano())
                : Instant.ofEpochSecond(event.getTime() == null ? 0 : event.getTime());
        Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
                ? Map.of() : event.getActor().getAttributes();
        return new ContainerEvent(id, action, time, attributes);
    }

    /** An engine timestamp (RFC 3339 with nanoseconds); the engine's zero time {@code 0001-01-01} means none. */
    static Optional<Instant> parseTime(String text) {
        if (text == null || text.isBlank() || text.startsWith("0001-01-01")) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static String stripSlash(String name) {
        if (name == null) {
            return "";
        }
        return name.startsWith("/") ? name.substring(1) : name;
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
