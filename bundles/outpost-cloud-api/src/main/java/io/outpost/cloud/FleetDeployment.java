package io.outpost.cloud;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A deployment to a fleet (IoT Hub's "IoT Edge deployment").
 *
 * @param id lower-case id ({@link Ids#deployment(String)})
 * @param modulesContent the {@code modulesContent} object as JSON text: for a base deployment a whole
 *     deployment manifest ({@code $edgeAgent}, {@code $edgeHub}, module twins, each with
 *     {@code properties.desired}); for a layered one, paths such as {@code properties.desired.modules.X}
 * @param targetCondition which devices it targets, in the target-condition language
 * @param priority higher wins among base deployments; orders layers
 * @param labels free key-value pairs
 * @param createdAt when it was created; the newer wins a priority tie
 * @param layered whether it is applied on top of a device's base deployment
 */
public record FleetDeployment(String id, String modulesContent, String targetCondition, int priority,
        SortedMap<String, String> labels, Instant createdAt, boolean layered) {

    public FleetDeployment {
        Ids.deployment(id);
        Objects.requireNonNull(modulesContent, "modulesContent");
        Objects.requireNonNull(targetCondition, "targetCondition");
        if (priority < 0) {
            throw new IllegalArgumentException("priority must not be negative: " + priority);
        }
        labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(labels, "labels")));
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A deployment to create: {@link FleetDeploymentService#create} sets {@code createdAt}. */
    public static FleetDeployment of(String id, String modulesContent, String targetCondition, int priority,
            Map<String, String> labels, boolean layered) {
        return new FleetDeployment(id, modulesContent, targetCondition, priority, new TreeMap<>(labels),
                Instant.EPOCH, layered);
    }
}
