package io.outpost.container;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A container engine as Outpost uses it. Only containers that carry {@link ContainerLabels#MANAGED}
 * {@code =true} are listed, inspected, streamed or changed; a call naming any other container fails with
 * {@link ContainerErrorCode#NOT_MANAGED} and leaves it alone. Every failure is an
 * {@link io.outpost.common.OutpostException} with a {@link ContainerErrorCode}.
 */
@ProviderType
public interface ContainerEngine {

    /** The engine's version, e.g. {@code 20.10.24}. */
    String engineVersion();

    /** Whether the image (a reference such as {@code repo/name:tag} or an image id) is present locally. */
    boolean imagePresent(String image);

    /** Pulls an image, with the credentials of its registry when given; returns when the pull is complete. */
    void pull(String image, Optional<RegistryCredentials> credentials);

    /** Creates a managed container from the spec and returns its id; the container is not started. */
    String create(ContainerSpec spec);

    /** Starts a managed container; starting a running container is not an error. */
    void start(String nameOrId);

    /** Stops a managed container, killing it when it has not exited within the timeout. */
    void stop(String nameOrId, Duration timeout);

    /** Removes a managed container, running or not; removing a container that does not exist is not an error. */
    void remove(String nameOrId);

    /** The managed container's current state, or empty when no container has that name or id. */
    Optional<ContainerInfo> inspect(String nameOrId);

    /** Every managed container, running or not. */
    List<ContainerSummary> listManaged();

    /**
     * Streams a managed container's log to the listener until the log ends (or, when following, until the
     * subscription is closed or the container is removed).
     */
    Subscription logs(String nameOrId, LogOptions options, StreamListener<LogLine> listener);

    /**
     * Streams the engine's events about managed containers from {@code since} (empty: from now) until the
     * subscription is closed. When the engine connection is lost the stream ends with
     * {@link StreamListener#onError} or {@link StreamListener#onComplete}; the caller subscribes again.
     */
    Subscription events(Optional<Instant> since, StreamListener<ContainerEvent> listener);
}
