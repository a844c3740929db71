package io.outpost.manifest;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** The sample manifests under src/test/resources/manifests, and edits of them. */
final class Samples {

    static final String QUICKSTART = "quickstart-simulated-temperature.json";
    static final String WRAPPED = "content-wrapped-schema-1.0.json";
    static final String STARTUP_ORDER = "startup-order-schema-1.1.json";

    static final String AGENT = "/modulesContent/$edgeAgent/properties.desired";
    static final String HUB = "/modulesContent/$edgeHub/properties.desired";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Samples() {
    }

    static String text(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/manifests/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode tree(String name) {
        try {
            return (ObjectNode) MAPPER.readTree(text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample as JSON text after {@code edit} changed its tree. */
    static String edited(String name, Consumer<ObjectNode> edit) {
        ObjectNode root = tree(name);
        edit.accept(root);
        return root.toString();
    }

    /** The object at a JSON Pointer of the tree. */
    static ObjectNode at(JsonNode root, String pointer) {
        JsonNode node = root.at(JsonPointer.compile(pointer));
        if (!node.isObject()) {
            throw new IllegalArgumentException("no object at " + pointer);
        }
        return (ObjectNode) node;
    }
}
