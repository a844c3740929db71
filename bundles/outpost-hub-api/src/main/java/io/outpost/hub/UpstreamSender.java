package io.outpost.hub;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The cloud link as the hub sees it: registered as an OSGi service by the bundle that connects the device to the
 * cloud, once it is configured. The {@value Endpoints#UPSTREAM} endpoint's pump delivers through it, and holds
 * that endpoint's queue while no such service exists.
 */
@ConsumerType
public interface UpstreamSender {

    /**
     * Sends one message to the cloud and returns once the cloud acknowledged it (MQTT PUBACK); the pump then
     * removes it from the queue. Fails with a retryable {@link io.outpost.common.OutpostException} (code
     * {@link HubErrorCode#ENDPOINT_UNAVAILABLE}) while the cloud is not reachable or did not acknowledge in time:
     * the message stays queued and is sent again (at least once; the cloud may see it twice).
     */
    void send(StoredMessage message);

    /** Whether the link is connected now, and how long it was offline. */
    UpstreamStatus status();
}
