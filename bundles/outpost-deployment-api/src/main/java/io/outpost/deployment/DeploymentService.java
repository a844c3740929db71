package io.outpost.deployment;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The agent as other parts of Outpost use it. Implementations reconcile in the background: methods return
 * quickly and never wait for containers.
 */
@ProviderType
public interface DeploymentService {

    /**
     * Hands the agent a new desired state. A manifest that fails validation is refused (code 400, 412 or 417
     * with every error in the description) and the running deployment is left untouched; a valid one becomes
     * the desired state and the agent starts converging towards it. Applying the running version again changes
     * nothing.
     *
     * @return the status right after accepting or refusing; follow {@link #status()} for progress
     */
    DeploymentStatus apply(DesiredState desired);

    /** The current status: last desired version, code and description, and every module's state. */
    DeploymentStatus status();

    /**
     * Asks for a module to be restarted (stopped and started) on the next pass; idempotent until then.
     *
     * @throws io.outpost.common.OutpostException with {@link DeploymentErrorCode#UNKNOWN_MODULE} when the running
     *     deployment has no such module
     */
    void restartModule(String name);
}
