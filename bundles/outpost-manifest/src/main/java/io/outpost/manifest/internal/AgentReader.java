package io.outpost.manifest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.manifest.Integrity;
import io.outpost.manifest.ModuleSpec;
import io.outpost.manifest.RuntimeSettings;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** {@code $edgeAgent}: schema version, runtime, system modules, modules and the integrity block. */
final class AgentReader {

    static final String DESIRED = "properties.desired";

    /** What {@code $edgeAgent} declares, defaults applied. */
    record Part(String schemaVersion, RuntimeSettings runtime, SortedMap<String, ModuleSpec> systemModules,
            SortedMap<String, ModuleSpec> modules, Optional<Integrity> integrity) {
    }

    private final ModuleReader modules;

    AgentReader(JsonText json) {
        this.modules = new ModuleReader(json);
    }

    /**
     * @param agent the {@code $edgeAgent} object
     * @param twins desired twin properties (JSON text) by module name
     */
    Optional<Part> read(Section agent, Map<String, String> twins) {
        Optional<Section> desired = agent.object(DESIRED, true);
        agent.warnUnknown();
        return desired.flatMap(d -> desired(d, twins));
    }

    private Optional<Part> desired(Section desired, Map<String, String> twins) {
        Optional<String> schema = SchemaVersions.read(desired, SchemaVersions.AGENT, "$edgeAgent");
        boolean withStartupOrder = !"1.0".equals(schema.orElse(""));
        Optional<RuntimeSettings> runtime = desired.object("runtime", true).flatMap(RuntimeReader::read);
        Optional<SortedMap<String, ModuleSpec>> system = desired.object("systemModules", true)
                .flatMap(s -> systemModules(s, withStartupOrder));
        Optional<SortedMap<String, ModuleSpec>> user = desired.has("modules")
                ? desired.object("modules", true).flatMap(m -> userModules(m, withStartupOrder, twins))
                : Optional.of(new TreeMap<>());
        Optional<Optional<Integrity>> integrity = IntegrityReader.read(desired);
        desired.warnUnknown();
        if (schema.isEmpty() || runtime.isEmpty() || system.isEmpty() || user.isEmpty() || integrity.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Part(schema.get(), runtime.get(), system.get(), user.get(), integrity.get()));
    }

    private Optional<SortedMap<String, ModuleSpec>> systemModules(Section system, boolean withStartupOrder) {
        Optional<ModuleSpec> agent = system.object("edgeAgent", true)
                .flatMap(s -> modules.read("edgeAgent", s, ModuleReader.Kind.EDGE_AGENT, withStartupOrder, "{}"));
        Optional<ModuleSpec> hub = system.object("edgeHub", true)
                .flatMap(s -> modules.read("edgeHub", s, ModuleReader.Kind.EDGE_HUB, withStartupOrder, "{}"));
        system.warnUnknown();
        if (agent.isEmpty() || hub.isEmpty()) {
            return Optional.empty();
        }
        SortedMap<String, ModuleSpec> result = new TreeMap<>();
        result.put("edgeAgent", agent.get());
        result.put("edgeHub", hub.get());
        return Optional.of(result);
    }

    private Optional<SortedMap<String, ModuleSpec>> userModules(Section all, boolean withStartupOrder,
            Map<String, String> twins) {
        SortedMap<String, ModuleSpec> result = new TreeMap<>();
        ModuleNames.Distinct distinct = new ModuleNames.Distinct();
        boolean ok = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = all.entries(); it.hasNext() && !all.problems().full();) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String pointer = all.pointer(name);
            String nameError = ModuleNames.error(name);
            if (nameError == null) {
                nameError = distinct.clash(name);
            }
            if (nameError != null) {
                all.problems().error(pointer, nameError);
                ok = false;
                continue;
            }
            if (!ModuleNames.containerSafe(name)) {
                all.problems().warning(pointer, Json.quote(name) + " cannot be a Docker container name as it is; "
                        + "a name that starts with a letter or digit is safest");
            }
            Optional<ModuleSpec> spec = Section.of(e.getValue(), pointer, all.problems()).flatMap(s -> modules.read(
                    name, s, ModuleReader.Kind.USER, withStartupOrder, twins.getOrDefault(name, "{}")));
            ok &= spec.isPresent();
            spec.ifPresent(s -> result.put(name, s));
        }
        return ok ? Optional.of(result) : Optional.empty();
    }
}
