package io.outpost.deployment;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The device's deployment state, shaped after edgeAgent's reported properties.
 *
 * @param lastDesiredVersion the version of the last desired state received (applied or refused)
 * @param code edgeAgent's {@code lastDesiredStatus.code}: 200 ok, 400 manifest format error, 406 unknown (no
 *     deployment yet), 412 unsupported schema version, 417 empty manifest, 500 failure
 * @param description the text of {@code lastDesiredStatus.description}: empty when all is well, otherwise what
 *     failed (refused manifest errors, a failing module, a rollback)
 * @param runningVersion the version of the deployment the device runs (differs from
 *     {@code lastDesiredVersion} after a refusal or a rollback), empty before the first deployment
 * @param appliedAt when the running deployment was applied
 * @param modules every module of the running deployment, by startup order then name
 */
public record DeploymentStatus(String lastDesiredVersion, int code, String description,
        Optional<String> runningVersion, Optional<Instant> appliedAt, List<ModuleStatus> modules) {

    public static final int OK = 200;
    public static final int UNKNOWN = 406;
    public static final int FAILED = 500;

    public DeploymentStatus {
        Objects.requireNonNull(lastDesiredVersion, "lastDesiredVersion");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(runningVersion, "runningVersion");
        Objects.requireNonNull(appliedAt, "appliedAt");
        modules = List.copyOf(modules);
    }

    /** Before any deployment: code 406, no modules. */
    public static DeploymentStatus none() {
        return new DeploymentStatus("", UNKNOWN, "no deployment received yet", Optional.empty(), Optional.empty(),
                List.of());
    }

    /** The deployment succeeded: accepted (200), running the desired version, every module converged. */
    public boolean converged() {
        return code == OK && runningVersion.filter(lastDesiredVersion::equals).isPresent()
                && modules.stream().allMatch(ModuleStatus::converged);
    }

    public Optional<ModuleStatus> module(String name) {
        return modules.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
