package io.outpost.deployment;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: services of this type hear which deployment the device runs. The agent calls
 * {@link #deploymentChanged} once when the listener appears (if a deployment runs) and again each time the
 * running deployment changes: a new one accepted, the stored one restored at start, a rollback. Calls come
 * from the agent's thread, one at a time; a listener returns quickly and does not call the agent back.
 */
@ConsumerType
public interface DeploymentListener {

    /** The device now runs {@code running}; its manifest is the whole desired state (modules and routes). */
    void deploymentChanged(DesiredState running);
}
