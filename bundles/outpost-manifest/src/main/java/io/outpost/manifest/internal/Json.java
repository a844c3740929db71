package io.outpost.manifest.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** Short, safe renderings of JSON values for problem messages. */
final class Json {

    /** Longer texts are cut in messages, so that a hostile value cannot blow up the report. */
    private static final int MAX_SHOWN = 60;

    private Json() {
    }

    /** E.g. {@code an object}, {@code number 5}, {@code string "abc"}. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "string " + quote(node.textValue());
        }
        if (node.isBoolean()) {
            return "boolean " + node.asText();
        }
        return "number " + cut(node.asText());
    }

    /** The text in double quotes, control characters escaped, cut to a readable length. */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
        String shown = cut(text);
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c == '"' ? "\\\"" : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }

    private static String cut(String text) {
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }
}
