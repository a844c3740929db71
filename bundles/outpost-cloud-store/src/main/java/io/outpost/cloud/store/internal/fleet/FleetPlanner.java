package io.outpost.cloud.store.internal.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.AppliedConfiguration;
import io.outpost.cloud.store.internal.condition.TwinView;
import io.outpost.cloud.store.internal.json.Json;
import java.util.List;
import java.util.Optional;

/**
 * Chooses what a device gets, as a pure function of the deployments and the device's twin: the base is the
 * matching non-layered deployment of highest priority (on a tie the newest, then the greatest id); then every
 * matching layered deployment is applied on top, lowest priority first, so that the highest-priority layer has
 * the last word on a path they share. Without a base, no layer applies.
 */
public final class FleetPlanner {

    private FleetPlanner() {
    }

    /**
     * What the device gets.
     *
     * @param targeted the deployments whose condition the device matches
     * @param configuration the applied configuration built from them
     */
    public record Plan(List<CompiledDeployment> targeted, AppliedConfiguration configuration) {

        public boolean targets(String deploymentId) {
            return targeted.stream().anyMatch(d -> d.id().equals(deploymentId));
        }
    }

    public static Plan plan(List<CompiledDeployment> deployments, TwinView twin) {
        List<CompiledDeployment> targeted = deployments.stream().filter(d -> d.condition().matches(twin)).toList();
        Optional<CompiledDeployment> base = targeted.stream().filter(d -> !d.deployment().layered())
                .max(CompiledDeployment.PRECEDENCE);
        if (base.isEmpty()) {
            return new Plan(targeted, new AppliedConfiguration(twin.deviceId(), Optional.empty(), List.of(), "{}"));
        }
        List<CompiledDeployment> layers = targeted.stream().filter(d -> d.deployment().layered())
                .sorted(CompiledDeployment.PRECEDENCE).toList();
        ObjectNode content = ModulesContent.apply(Json.object(), base.get().content());
        layers.forEach(layer -> ModulesContent.apply(content, layer.content()));
        return new Plan(targeted, new AppliedConfiguration(twin.deviceId(), Optional.of(base.get().id()),
                layers.stream().map(CompiledDeployment::id).toList(), Json.write(content)));
    }
}
