package io.outpost.cloud.endpoint.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.Twin;
import java.util.Iterator;
import java.util.Map;

/** Twin JSON as the dialect carries it: the GET document, desired patches with {@code $version}. */
final class TwinJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TwinJson() {
    }

    /** IoT Hub's twin GET answer: {@code {"desired":{...,"$version":d},"reported":{...,"$version":r}}}. */
    static String document(Twin twin) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.set("desired", object(twin.desired()).put("$version", twin.desiredVersion()));
        doc.set("reported", object(twin.reported()).put("$version", twin.reportedVersion()));
        return write(doc);
    }

    /**
     * The JSON merge patch (RFC 7396) that turns {@code before} into {@code after}, with {@code $version} set: what
     * a client that holds {@code before} applies to hold {@code after}.
     */
    static String desiredPatch(String before, String after, long version) {
        ObjectNode patch = diff(object(before), object(after));
        patch.put("$version", version);
        return write(patch);
    }

    private static ObjectNode diff(ObjectNode before, ObjectNode after) {
        ObjectNode patch = MAPPER.createObjectNode();
        for (Iterator<String> names = before.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!after.has(name)) {
                patch.set(name, NullNode.getInstance());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = after.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode old = before.get(field.getKey());
            if (field.getValue().equals(old)) {
                continue;
            }
            if (old instanceof ObjectNode o && field.getValue() instanceof ObjectNode n) {
                patch.set(field.getKey(), diff(o, n));
            } else {
                patch.set(field.getKey(), field.getValue());
            }
        }
        return patch;
    }

    static ObjectNode object(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (!(node instanceof ObjectNode o)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return o;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
