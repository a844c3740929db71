package io.outpost.container;

import java.util.Map;
import java.util.Objects;

/** One entry of {@link ContainerEngine#listManaged()}: enough to tell which module a container runs and its state. */
public record ContainerSummary(String id, String name, String image, String imageId, ContainerState state,
        Map<String, String> labels) {

    public ContainerSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(state, "state");
        labels = Map.copyOf(labels);
    }

    /** The module this container runs, from its {@link ContainerLabels#MODULE} label, or empty text. */
    public String module() {
        return labels.getOrDefault(ContainerLabels.MODULE, "");
    }
}
