package io.outpost.manifest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Joins a module's {@code createOptions}, {@code createOptions01}, {@code createOptions02}, ... in the numeric
 * order of their suffix, whatever their order in the file, and checks that none is missing and that the
 * result is one JSON object.
 */
final class CreateOptionsReader {

    static final String KEY = "createOptions";
    /** The longest chunk Azure IoT Hub stores in one twin property. */
    static final int MAX_CHUNK = 512;

    private static final Pattern CHUNK = Pattern.compile("createOptions(\\d{1,9})");

    private final JsonText json;

    CreateOptionsReader(JsonText json) {
        this.json = json;
    }

    /** The joined text ({@code ""} when there is none), or empty after reporting an error. */
    Optional<String> read(Section settings) {
        Problems problems = settings.problems();
        TreeMap<Integer, String> chunkKeys = new TreeMap<>();
        boolean ok = true;
        for (String key : settings.keys()) {
            if (key.equals(KEY)) {
                chunkKeys.put(0, key);
                settings.markRead(key);
                continue;
            }
            Matcher m = CHUNK.matcher(key);
            if (m.matches()) {
                settings.markRead(key);
                int n = Integer.parseInt(m.group(1));
                if (m.group(1).length() != 2 || n == 0) {
                    problems.error(settings.pointer(key), "not a createOptions chunk key; chunks are named "
                            + "createOptions01 to createOptions99");
                    ok = false;
                } else {
                    chunkKeys.put(n, key);
                }
            }
        }
        if (chunkKeys.isEmpty()) {
            return ok ? Optional.of("") : Optional.empty();
        }
        if (!chunkKeys.containsKey(0)) {
            problems.error(settings.pointer(chunkKeys.firstEntry().getValue()), "a createOptions chunk needs the "
                    + "first chunk \"createOptions\", which is missing");
            return Optional.empty();
        }
        Optional<String> joined = join(settings, chunkKeys);
        return ok ? joined.flatMap(text -> check(settings, text)) : Optional.empty();
    }

    private Optional<String> join(Section settings, TreeMap<Integer, String> chunkKeys) {
        Problems problems = settings.problems();
        JsonNode first = settings.get(KEY).orElseThrow();
        if (first.isObject() && chunkKeys.size() == 1) {
            problems.warning(settings.pointer(KEY), "createOptions is an object; Azure expects it serialized as a "
                    + "string, Outpost accepts both");
            return Optional.of(json.write(first));
        }
        StringBuilder joined = new StringBuilder();
        boolean ok = true;
        int previous = -1;
        for (Map.Entry<Integer, String> chunk : chunkKeys.entrySet()) {
            String pointer = settings.pointer(chunk.getValue());
            JsonNode node = settings.get(chunk.getValue()).orElseThrow();
            if (chunk.getKey() != previous + 1) {
                gap(settings, previous, chunk.getKey());
                ok = false;
            }
            previous = chunk.getKey();
            if (!node.isTextual()) {
                problems.error(pointer, "expected a string (a chunk of the createOptions JSON text), found "
                        + Json.describe(node));
                ok = false;
            } else if (node.textValue().length() > MAX_CHUNK) {
                problems.error(pointer, "chunk is " + node.textValue().length() + " characters long; a chunk holds at "
                        + "most " + MAX_CHUNK + ": split it into createOptions, createOptions01, ...");
                ok = false;
            } else {
                joined.append(node.textValue());
            }
        }
        return ok ? Optional.of(joined.toString()) : Optional.empty();
    }

    /** An error at the first missing chunk: joining around a lost chunk would give some other JSON text. */
    private static void gap(Section settings, int before, int after) {
        String first = keyOf(before + 1);
        String missing = after == before + 2 ? "chunk " + first + " is missing"
                : "chunks " + first + " to " + keyOf(after - 1) + " are missing";
        settings.problems().error(settings.pointer(first), missing + ": " + keyOf(after) + " follows "
                + keyOf(before) + ", and chunks are numbered without gaps");
    }

    private Optional<String> check(Section settings, String text) {
        if (text.isBlank()) {
            return Optional.of("");
        }
        String pointer = settings.pointer(KEY);
        try {
            JsonNode node = json.parse(text);
            if (!node.isObject()) {
                settings.problems().error(pointer, "createOptions must be a JSON object (Docker's container-create "
                        + "options), found " + Json.describe(node));
                return Optional.empty();
            }
            return Optional.of(text);
        } catch (JsonText.Failure e) {
            String inside = e.pointer().isEmpty() ? "" : " (inside it at " + e.pointer() + ")";
            settings.problems().error(pointer, "createOptions is " + e.getMessage() + inside);
            return Optional.empty();
        }
    }

    private static String keyOf(int index) {
        return index == 0 ? KEY : KEY + String.format("%02d", index);
    }
}
