package io.outpost.manifest;

import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A validated deployment manifest, defaults applied.
 *
 * @param agentSchemaVersion {@code $edgeAgent}'s {@code schemaVersion}: {@code 1.0} or {@code 1.1}
 * @param runtime the {@code runtime} section with registry credentials
 * @param systemModules {@code edgeAgent} and {@code edgeHub} from {@code systemModules} (informational in
 *     Outpost, where both are bundles)
 * @param modules the user modules by name, sorted
 * @param hub {@code $edgeHub}'s settings and routes
 * @param twins every module twin section ({@code <module>.properties.desired}) as JSON object text, by
 *     module name, sorted; also those of modules the manifest does not declare
 * @param integrity {@code $edgeAgent}'s signed-manifest block, when present
 */
public record DeploymentManifest(String agentSchemaVersion, RuntimeSettings runtime,
        SortedMap<String, ModuleSpec> systemModules, SortedMap<String, ModuleSpec> modules, HubSettings hub,
        SortedMap<String, String> twins, Optional<Integrity> integrity) {

    public DeploymentManifest {
        Objects.requireNonNull(agentSchemaVersion, "agentSchemaVersion");
        Objects.requireNonNull(runtime, "runtime");
        systemModules = Maps.sortedCopy(systemModules, "systemModules");
        modules = Maps.sortedCopy(modules, "modules");
        modules.forEach((name, spec) -> {
            if (!name.equals(spec.name())) {
                throw new IllegalArgumentException("module key " + name + " holds the spec of " + spec.name());
            }
        });
        Objects.requireNonNull(hub, "hub");
        twins = Maps.sortedCopy(twins, "twins");
        Objects.requireNonNull(integrity, "integrity");
    }

    /** The user module of that name, if declared. */
    public Optional<ModuleSpec> module(String name) {
        return Optional.ofNullable(modules.get(name));
    }
}
