package io.outpost.cloud;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A device identity in the registry.
 *
 * @param id the device id ({@link Ids#device(String)})
 * @param auth its credentials
 * @param enabled whether it may connect
 * @param tags its twin's tags as JSON object text (a copy: tags are changed through the twin)
 * @param connectionState connected to the device endpoint now or not
 * @param lastActivity when it last connected, sent or received something; empty if never
 * @param createdAt when it was registered
 * @param parentId the edge device whose scope this device is in (a leaf device behind that edge); empty if none
 */
public record Device(String id, DeviceAuth auth, boolean enabled, String tags, ConnectionState connectionState,
        Optional<Instant> lastActivity, Instant createdAt, Optional<String> parentId) {

    public Device(String id, DeviceAuth auth, boolean enabled, String tags, ConnectionState connectionState,
            Optional<Instant> lastActivity, Instant createdAt) {
        this(id, auth, enabled, tags, connectionState, lastActivity, createdAt, Optional.empty());
    }

    public Device {
        Objects.requireNonNull(parentId, "parentId");
        Ids.device(id);
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(connectionState, "connectionState");
        Objects.requireNonNull(lastActivity, "lastActivity");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
