package io.outpost.routing.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads message bodies with jackson-core's streaming parser, strictly (no comments, no trailing commas, no
 * NaN, no leading zeros). Objects become {@link HashMap}s, arrays lists, numbers doubles (the literal's
 * text through {@link Double#valueOf(String)}), {@code null} becomes {@link Values#NULL}. Text that is not
 * one valid JSON value, or that nests deeper than {@link #MAX_DEPTH}, reads as {@link Values#UNDEFINED}: a
 * body that cannot be queried. Only nesting is limited; number, string and name lengths are not. The whole
 * body is read into a tree, once per message ({@link EvalContext} keeps it), as every {@code $body} path of a
 * condition walks the same tree.
 */
final class JsonTree {

    static final int MAX_DEPTH = 256;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH + 1)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private JsonTree() {
    }

    static Object read(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return Values.UNDEFINED;
            }
            Object v = value(p, first, 0);
            return p.nextToken() == null ? v : Values.UNDEFINED;
        } catch (IOException | NumberFormatException | Unreadable e) {
            return Values.UNDEFINED;
        }
    }

    private static Object value(JsonParser p, JsonToken t, int depth) throws IOException {
        if (depth > MAX_DEPTH || t == null) {
            throw new Unreadable();
        }
        return switch (t) {
            case START_OBJECT -> object(p, depth);
            case START_ARRAY -> array(p, depth);
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> Double.valueOf(p.getText());
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> Values.NULL;
            default -> throw new Unreadable(); // not produced by a plain JSON text
        };
    }

    private static Map<String, Object> object(JsonParser p, int depth) throws IOException {
        Map<String, Object> map = new HashMap<>();
        String key;
        while ((key = p.nextFieldName()) != null) {
            map.put(key, value(p, p.nextToken(), depth + 1));
        }
        return map;
    }

    private static List<Object> array(JsonParser p, int depth) throws IOException {
        List<Object> list = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            list.add(value(p, t, depth + 1));
        }
        return list;
    }

    /** Nesting beyond {@link #MAX_DEPTH}, or the end of the text inside a value: the body reads as UNDEFINED. */
    private static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreadable() {
            super("not one JSON value of at most " + MAX_DEPTH + " levels", null, false, false);
        }
    }
}
