package io.outpost.cloud.endpoint.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.cloud.AppliedConfiguration;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * The module names a device may connect as with its own key: {@code $edgeAgent}, {@code $edgeHub}, the modules of
 * its applied configuration's {@code $edgeAgent} desired properties and the module twins the configuration writes.
 */
final class DeployedModules {

    private DeployedModules() {
    }

    static Set<String> of(AppliedConfiguration configuration) {
        Set<String> names = new TreeSet<>(Set.of("$edgeAgent", "$edgeHub"));
        JsonNode content = TwinJson.object(configuration.modulesContent());
        content.fieldNames().forEachRemaining(names::add);
        JsonNode modules = content.path("$edgeAgent").path("properties.desired").path("modules");
        for (Iterator<String> it = modules.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
