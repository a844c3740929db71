package io.outpost.manifest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A module's {@code env}: {@code NAME -> {"value": ...}}. */
final class EnvReader {

    private EnvReader() {
    }

    /** The variables by name, or empty after reporting an error. */
    static Optional<Map<String, String>> read(Section module) {
        Optional<JsonNode> env = module.get("env");
        if (env.isEmpty()) {
            return Optional.of(Map.of());
        }
        Optional<Section> section = Section.of(env.get(), module.pointer("env"), module.problems());
        if (section.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> vars = new TreeMap<>();
        boolean ok = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = section.get().entries(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            Optional<String> value = variable(section.get(), e.getKey(), e.getValue());
            ok &= value.isPresent();
            value.ifPresent(v -> vars.put(e.getKey(), v));
        }
        return ok ? Optional.of(vars) : Optional.empty();
    }

    private static Optional<String> variable(Section env, String name, JsonNode node) {
        String pointer = env.pointer(name);
        Problems problems = env.problems();
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
            problems.error(pointer, Json.quote(name) + " is not an environment variable name; a name is not empty "
                    + "and has no '=' or NUL character");
            return Optional.empty();
        }
        Optional<Section> var = Section.of(node, pointer, problems);
        if (var.isEmpty()) {
            return Optional.empty();
        }
        Optional<JsonNode> value = var.get().require("value", "a string");
        var.get().warnUnknown();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        JsonNode v = value.get();
        if (v.isTextual()) {
            return Optional.of(v.textValue());
        }
        if (v.isNumber() || v.isBoolean()) {
            problems.warning(var.get().pointer("value"), "expected a string, found " + Json.describe(v)
                    + "; it is used as the text " + Json.quote(v.asText()));
            return Optional.of(v.asText());
        }
        problems.error(var.get().pointer("value"), "expected a string, found " + Json.describe(v));
        return Optional.empty();
    }
}
