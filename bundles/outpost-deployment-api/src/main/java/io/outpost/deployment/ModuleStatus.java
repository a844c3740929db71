package io.outpost.deployment;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One module's reported state, as edgeAgent reports it per module.
 *
 * @param name the module name
 * @param desiredStatus {@code running} or {@code stopped}, as the manifest asks
 * @param runtimeStatus what the module is doing
 * @param statusDescription a human explanation of the runtime status (the error, the back-off deadline)
 * @param exitCode the last exit code (0 when it never exited)
 * @param restartCount restarts since the count was last cleared
 * @param lastStartTime when its container last started
 * @param lastExitTime when its container last exited
 * @param lastRestartTime when the agent last restarted it
 * @param image the image of the module
 * @param restartPolicy the manifest's restart policy
 * @param startupOrder the manifest's startup order
 * @param healthy empty when the module has no healthcheck, otherwise the result of the last check
 */
public record ModuleStatus(String name, String desiredStatus, RuntimeStatus runtimeStatus, String statusDescription,
        int exitCode, int restartCount, Optional<Instant> lastStartTime, Optional<Instant> lastExitTime,
        Optional<Instant> lastRestartTime, String image, String restartPolicy, long startupOrder,
        Optional<Boolean> healthy) {

    public ModuleStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(desiredStatus, "desiredStatus");
        Objects.requireNonNull(runtimeStatus, "runtimeStatus");
        Objects.requireNonNull(statusDescription, "statusDescription");
        Objects.requireNonNull(lastStartTime, "lastStartTime");
        Objects.requireNonNull(lastExitTime, "lastExitTime");
        Objects.requireNonNull(lastRestartTime, "lastRestartTime");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(restartPolicy, "restartPolicy");
        Objects.requireNonNull(healthy, "healthy");
    }

    /** Whether the module is where the manifest wants it: running (and healthy) or stopped. */
    public boolean converged() {
        return "running".equals(desiredStatus) ? runtimeStatus == RuntimeStatus.RUNNING
                : runtimeStatus == RuntimeStatus.STOPPED;
    }
}
