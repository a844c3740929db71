package io.outpost.manifest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the properties of one JSON object, reporting each wrong or missing value at its pointer. It
 * remembers which properties were read, so that {@link #warnUnknown()} can name the ones nobody knows.
 */
final class Section {

    private final JsonNode node;
    private final String pointer;
    private final Problems problems;
    private final Set<String> read = new HashSet<>();

    private Section(JsonNode node, String pointer, Problems problems) {
        this.node = node;
        this.pointer = pointer;
        this.problems = problems;
    }

    /** The object at {@code pointer}, or an error when the value is not an object. */
    static Optional<Section> of(JsonNode node, String pointer, Problems problems) {
        if (node != null && node.isObject()) {
            return Optional.of(new Section(node, pointer, problems));
        }
        problems.error(pointer, "expected an object, found " + Json.describe(node));
        return Optional.empty();
    }

    String pointer() {
        return pointer;
    }

    String pointer(String key) {
        return Pointers.child(pointer, key);
    }

    Problems problems() {
        return problems;
    }

    boolean isEmpty() {
        return node.isEmpty();
    }

    boolean has(String key) {
        return node.has(key);
    }

    /** The property names in document order. */
    List<String> keys() {
        List<String> keys = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** The raw value without marking it as read; a missing node when absent. */
    JsonNode peek(String key) {
        return node.path(key);
    }

    /** The raw value, marked as read; empty when absent. */
    Optional<JsonNode> get(String key) {
        read.add(key);
        return Optional.ofNullable(node.get(key));
    }

    /** The raw value, or an error naming what was expected when it is absent. */
    Optional<JsonNode> require(String key, String expected) {
        Optional<JsonNode> value = get(key);
        if (value.isEmpty()) {
            problems.error(pointer(key), "required property is missing; expected " + expected);
        }
        return value;
    }

    Optional<Section> object(String key, boolean required) {
        Optional<JsonNode> value = required ? require(key, "an object") : get(key);
        return value.flatMap(v -> Section.of(v, pointer(key), problems));
    }

    /** A string value; {@code expected} describes it for messages, e.g. {@code "an image name"}. */
    Optional<String> string(String key, boolean required, String expected) {
        Optional<JsonNode> value = required ? require(key, expected) : get(key);
        if (value.isPresent() && !value.get().isTextual()) {
            problems.error(pointer(key), "expected " + expected + ", found " + Json.describe(value.get()));
            return Optional.empty();
        }
        return value.map(JsonNode::textValue);
    }

    /**
     * One of a fixed set of words. A match that differs only in case is accepted with a warning, as Azure
     * accepts it.
     */
    <E extends Enum<E>> Optional<E> choice(String key, boolean required, E[] values, Function<E, String> wire,
            String noun) {
        String allowed = java.util.Arrays.stream(values).map(wire).collect(Collectors.joining(", "));
        Optional<String> text = string(key, required, article(noun) + noun + " (one of " + allowed + ")");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        for (E value : values) {
            if (wire.apply(value).equals(text.get())) {
                return Optional.of(value);
            }
        }
        for (E value : values) {
            if (wire.apply(value).equalsIgnoreCase(text.get())) {
                problems.warning(pointer(key), Json.quote(text.get()) + " is accepted as " + Json.quote(wire.apply(value))
                        + "; write it in lower case");
                return Optional.of(value);
            }
        }
        problems.error(pointer(key), Json.quote(text.get()) + " is not " + article(noun) + noun
                + "; expected one of " + allowed);
        return Optional.empty();
    }

    /** An integer from {@code min} to {@code max}; empty when absent or wrong. */
    OptionalLong integer(String key, long min, long max) {
        Optional<JsonNode> value = get(key);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        JsonNode v = value.get();
        String range = "an integer from " + min + " to " + max;
        if (!v.isIntegralNumber()) {
            problems.error(pointer(key), "expected " + range + ", found " + Json.describe(v));
            return OptionalLong.empty();
        }
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            problems.error(pointer(key), Json.describe(v).substring("number ".length()) + " is out of range; expected "
                    + range);
            return OptionalLong.empty();
        }
        return OptionalLong.of(v.longValue());
    }

    /** Iterates over the properties, marking each as read. */
    Iterator<Map.Entry<String, JsonNode>> entries() {
        read.addAll(keys());
        return node.fields();
    }

    /** A warning for every property that was never read. */
    void warnUnknown() {
        for (String key : keys()) {
            if (!read.contains(key)) {
                problems.warning(pointer(key), "unknown property " + Json.quote(key) + " is ignored");
            }
        }
    }

    void markRead(String key) {
        read.add(key);
    }

    private static String article(String noun) {
        return "aeiou".indexOf(noun.toLowerCase(Locale.ROOT).charAt(0)) >= 0 ? "an " : "a ";
    }
}
