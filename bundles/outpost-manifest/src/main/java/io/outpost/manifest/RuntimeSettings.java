package io.outpost.manifest;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * {@code $edgeAgent}'s {@code runtime} section.
 *
 * @param type always {@code docker}
 * @param minDockerVersion the optional {@code minDockerVersion}, {@code ""} when absent
 * @param loggingOptions the optional {@code loggingOptions} text, {@code ""} when absent
 * @param registryCredentials private registries by name, sorted
 */
public record RuntimeSettings(String type, String minDockerVersion, String loggingOptions,
        SortedMap<String, RegistryCredential> registryCredentials) {

    public RuntimeSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(minDockerVersion, "minDockerVersion");
        Objects.requireNonNull(loggingOptions, "loggingOptions");
        registryCredentials = Maps.sortedCopy(registryCredentials, "registryCredentials");
    }

    public RuntimeSettings(String type, Map<String, RegistryCredential> registryCredentials) {
        this(type, "", "", Maps.sortedCopy(registryCredentials, "registryCredentials"));
    }
}
