package io.outpost.samples.support;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of a module twin's desired properties (a full desired document or a patch). A property that is
 * absent reads as empty; one of the wrong type or out of range also reads as empty and adds a problem naming the
 * property, so a bad patch keeps the previous setting instead of stopping the module.
 */
public final class DesiredProperties {

    private final JsonObject desired;
    private final List<String> problems = new ArrayList<>();

    private DesiredProperties(JsonObject desired) {
        this.desired = desired;
    }

    /** From a JSON object text, such as a manifest's {@code properties.desired} or a desired patch. */
    public static DesiredProperties parse(String json) {
        try {
            JsonElement e = JsonParser.parseString(json == null || json.isBlank() ? "{}" : json);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("desired properties must be a JSON object, got: " + abbreviate(json));
            }
            return new DesiredProperties(e.getAsJsonObject());
        } catch (JsonSyntaxException e) {
            throw new IllegalArgumentException("desired properties are not valid JSON: " + e.getMessage(), e);
        }
    }

    /** From the SDK's twin collection (values are Gson-decoded: numbers, booleans, strings, maps). */
    public static DesiredProperties of(Map<String, ?> collection) {
        JsonObject o = new JsonObject();
        if (collection != null) {
            collection.forEach((k, v) -> o.add(k, new com.google.gson.Gson().toJsonTree(v)));
        }
        return new DesiredProperties(o);
    }

    public boolean has(String name) {
        return desired.has(name) && !desired.get(name).isJsonNull();
    }

    /** A number (or numeric string) within [min, max]. */
    public Optional<Double> number(String name, double min, double max) {
        Optional<JsonPrimitive> p = primitive(name, "a number");
        if (p.isEmpty()) {
            return Optional.empty();
        }
        double value;
        try {
            value = p.get().isNumber() ? p.get().getAsDouble() : Double.parseDouble(p.get().getAsString().trim());
        } catch (NumberFormatException e) {
            return problem(name, "a number", p.get());
        }
        if (Double.isNaN(value) || value < min || value > max) {
            return problem(name, "a number from " + fmt(min) + " to " + fmt(max), p.get());
        }
        return Optional.of(value);
    }

    /** A whole number within [min, max]. */
    public Optional<Long> integer(String name, long min, long max) {
        Optional<Double> n = number(name, min, max);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        if (n.get() != Math.rint(n.get())) {
            return problem(name, "a whole number", desired.get(name));
        }
        return Optional.of(n.get().longValue());
    }

    /** A boolean, or the strings {@code true}/{@code false} in any case. */
    public Optional<Boolean> bool(String name) {
        Optional<JsonPrimitive> p = primitive(name, "true or false");
        if (p.isEmpty()) {
            return Optional.empty();
        }
        if (p.get().isBoolean()) {
            return Optional.of(p.get().getAsBoolean());
        }
        String s = p.get().getAsString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Optional.of(Boolean.parseBoolean(s));
        }
        return problem(name, "true or false", p.get());
    }

    /** What was wrong with the properties read so far, one line per property. */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    private Optional<JsonPrimitive> primitive(String name, String expected) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonElement e = desired.get(name);
        if (!e.isJsonPrimitive()) {
            return problem(name, expected, e);
        }
        return Optional.of(e.getAsJsonPrimitive());
    }

    private <T> Optional<T> problem(String name, String expected, JsonElement got) {
        problems.add("desired property " + name + ": expected " + expected + ", got " + abbreviate(got.toString()));
        return Optional.empty();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
