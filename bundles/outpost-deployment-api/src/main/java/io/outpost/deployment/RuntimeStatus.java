package io.outpost.deployment;

import java.util.Locale;

/** A module's runtime status, in edgeAgent's vocabulary (reported as {@code runtimeStatus}). */
public enum RuntimeStatus {
    /** Not known yet: the module is being created, or its container could not be read. */
    UNKNOWN,
    /** Not running, waiting for its restart cool-off to pass. */
    BACKOFF,
    RUNNING,
    /** Running, but its HEALTHCHECK fails. */
    UNHEALTHY,
    /** Not running, as desired, or exited with code 0 under a policy that does not restart it. */
    STOPPED,
    /** Exited with an error and will not be restarted (policy, or too many restarts). */
    FAILED,
    /** The container is gone in a way that cannot be recovered without a new deployment. */
    DEAD;

    /** The spelling used in reported state: {@code running}, {@code backoff}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
