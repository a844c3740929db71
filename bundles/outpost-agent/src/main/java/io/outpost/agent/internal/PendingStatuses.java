package io.outpost.agent.internal;

import io.outpost.deployment.ModuleStatus;
import io.outpost.deployment.RuntimeStatus;
import io.outpost.manifest.DeploymentManifest;
import io.outpost.manifest.ModuleSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The module statuses of a deployment that has been accepted (or restored) but not reconciled yet: every
 * module of the manifest in {@code unknown}. Reporting them, rather than the previous deployment's modules,
 * keeps a follower from taking the old modules' states for the new deployment's.
 */
final class PendingStatuses {

    private PendingStatuses() {
    }

    static List<ModuleStatus> of(DeploymentManifest manifest, String version) {
        return manifest.modules().values().stream()
                .sorted(Comparator.comparingLong(ModuleSpec::startupOrder).thenComparing(ModuleSpec::name))
                .map(m -> new ModuleStatus(m.name(), m.status().wireName(), RuntimeStatus.UNKNOWN,
                        "deployment " + version + " accepted, waiting for the next reconcile pass", 0, 0,
                        Optional.empty(), Optional.empty(), Optional.empty(), m.image(), m.restartPolicy().wireName(),
                        m.startupOrder(), Optional.empty()))
                .toList();
    }
}
