package io.outpost.cloud.store.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.common.OutpostException;
import java.util.Iterator;
import java.util.Map;

/** JSON text in and out of the store, and IoT Hub's merge-patch rule for twin sections. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Parses JSON object text.
     *
     * @param what how an error names the text, e.g. {@code "desired properties"}
     * @throws OutpostException {@link CloudErrorCode#INVALID_ARGUMENT} when the text is not a JSON object
     */
    public static ObjectNode parseObject(String text, String what) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new OutpostException(CloudErrorCode.INVALID_ARGUMENT,
                    what + " are not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new OutpostException(CloudErrorCode.INVALID_ARGUMENT, what + " must be a JSON object");
        }
        return (ObjectNode) node;
    }

    public static String write(JsonNode node) {
        return node.toString();
    }

    /**
     * Applies a JSON merge patch (RFC 7396) to {@code target} in place: objects merge member by member,
     * {@code null} removes a member, any other value replaces it.
     */
    public static ObjectNode mergePatch(ObjectNode target, ObjectNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(field.getKey());
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && existing != null && existing.isObject()) {
                mergePatch((ObjectNode) existing, (ObjectNode) value);
            } else if (value.isObject()) {
                target.set(field.getKey(), mergePatch(object(), (ObjectNode) value));
            } else {
                target.set(field.getKey(), value.deepCopy());
            }
        }
        return target;
    }

    /** Removes every {@code null} member, recursively, as a replaced twin section keeps none. */
    public static ObjectNode withoutNulls(ObjectNode node) {
        return mergePatch(object(), node);
    }
}
