package io.outpost.cloud.store.internal.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.store.internal.json.Json;
import io.outpost.common.OutpostException;
import java.util.Iterator;
import java.util.Map;

/**
 * A deployment's {@code modulesContent}: per twin ({@code $edgeAgent}, {@code $edgeHub}, a module), the paths it
 * sets, {@code properties.desired} (the whole desired section) or {@code properties.desired.<a>.<b>} (one value
 * inside it). Applying content onto a result sets each path; a layer applied later overrides what an earlier one
 * set at the same path.
 */
public final class ModulesContent {

    static final String DESIRED = "properties.desired";

    private ModulesContent() {
    }

    /** Parses the text; a manifest still wrapped in {@code content} or {@code modulesContent} is unwrapped. */
    public static ObjectNode parse(String text) {
        ObjectNode root = Json.parseObject(text, "the deployment's modulesContent");
        if (root.size() == 1 && root.get("content") instanceof ObjectNode content) {
            root = content;
        }
        if (root.size() == 1 && root.get("modulesContent") instanceof ObjectNode inner) {
            root = inner;
        }
        Iterator<Map.Entry<String, JsonNode>> twins = root.fields();
        while (twins.hasNext()) {
            Map.Entry<String, JsonNode> twin = twins.next();
            if (!twin.getValue().isObject()) {
                throw invalid("/" + twin.getKey(), "must be an object of paths such as properties.desired");
            }
            twin.getValue().fieldNames().forEachRemaining(path -> {
                if (!path.equals(DESIRED) && !path.startsWith(DESIRED + ".")) {
                    throw invalid("/" + twin.getKey() + "/" + path,
                            "a deployment sets properties.desired or a path below it, not '" + path + "'");
                }
            });
        }
        return root;
    }

    /** Applies {@code content}'s paths onto {@code result} (normalized: one {@code properties.desired} per twin). */
    public static ObjectNode apply(ObjectNode result, ObjectNode content) {
        content.fields().forEachRemaining(twin -> {
            ObjectNode target = result.has(twin.getKey()) ? (ObjectNode) result.get(twin.getKey())
                    : result.putObject(twin.getKey());
            twin.getValue().fields().forEachRemaining(path -> set(target, path.getKey(), path.getValue()));
        });
        return result;
    }

    private static void set(ObjectNode twin, String path, JsonNode value) {
        if (path.equals(DESIRED)) {
            twin.set(DESIRED, value.isObject() ? Json.withoutNulls((ObjectNode) value) : Json.object());
            return;
        }
        String[] segments = path.substring(DESIRED.length() + 1).split("\\.");
        ObjectNode node = child(twin, DESIRED);
        for (int i = 0; i < segments.length - 1; i++) {
            node = child(node, segments[i]);
        }
        if (value.isNull()) {
            node.remove(segments[segments.length - 1]);
        } else {
            node.set(segments[segments.length - 1], value.deepCopy());
        }
    }

    private static ObjectNode child(ObjectNode parent, String name) {
        JsonNode existing = parent.get(name);
        return existing instanceof ObjectNode o ? o : parent.putObject(name);
    }

    /** The desired properties the content gives one twin, or an empty object. */
    public static ObjectNode desired(ObjectNode normalized, String twin) {
        JsonNode node = normalized.path(twin).path(DESIRED);
        return node instanceof ObjectNode o ? o : Json.object();
    }

    static OutpostException invalid(String pointer, String message) {
        return new OutpostException(CloudErrorCode.DEPLOYMENT_INVALID,
                "the deployment is refused:\nerror: " + pointer + ": " + message);
    }
}
