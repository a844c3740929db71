package io.outpost.manifest;

import io.outpost.manifest.internal.HostAccessScanner;
import java.util.List;
import java.util.Objects;

/**
 * One createOptions setting that reaches past the module's own container into the host: each of these can
 * give the module root on the host, or let it see what other processes on the host do. Azure IoT Edge
 * accepts them all, and real manifests use them; {@link #of} finds them so that a device's operator can
 * decide (see the agent's host access policy).
 *
 * @param kind what the setting grants
 * @param field where the setting is in createOptions, spelt as there, e.g. {@code HostConfig.Binds[0]}
 * @param value the host resource it grants: the host path of a bind, the host path of a device (or a device
 *     cgroup rule), a capability name without {@code CAP_} in upper case, {@code host} for a namespace, the
 *     text of a security option, or {@code true} for {@code Privileged}
 */
public record HostAccess(Kind kind, String field, String value) {

    /** What a setting grants. */
    public enum Kind {
        /** {@code Privileged}: every capability and device, no confinement. */
        PRIVILEGED,
        /** A host path mounted into the container ({@code Binds}, {@code Mounts}, a bind-backed volume). */
        BIND,
        /** A host device ({@code Devices}) or a device cgroup rule ({@code DeviceCgroupRules}). */
        DEVICE,
        /** A capability added to the container's set ({@code CapAdd}). */
        CAPABILITY,
        /** The host's own namespace: {@code NetworkMode}, {@code PidMode}, {@code IpcMode}, {@code UTSMode},
         * {@code UsernsMode} or {@code CgroupnsMode} set to {@code host}. */
        HOST_NAMESPACE,
        /** A confinement turned off or replaced: {@code SecurityOpt} (seccomp, AppArmor, SELinux labels,
         * system paths), {@code MaskedPaths}, {@code ReadonlyPaths}. */
        SECURITY_OPTION
    }

    public HostAccess {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
    }

    /**
     * The host access settings of a module's createOptions, in document order. Field names are matched
     * without regard to case, as the Docker engine matches them; the host-config fields are looked for both
     * under {@code HostConfig} and at the top level (the engine reads them there when {@code HostConfig} is
     * absent). Values of the wrong type are left to the engine, which refuses them.
     *
     * @param createOptions the module's createOptions as one JSON object text; {@code ""} for none
     * @return the settings found, empty when none
     * @throws IllegalArgumentException when the text is not one JSON object
     */
    public static List<HostAccess> of(String createOptions) {
        return HostAccessScanner.scan(createOptions);
    }

    /** E.g. {@code HostConfig.Privileged=true}. */
    @Override
    public String toString() {
        return field + "=" + value;
    }
}
