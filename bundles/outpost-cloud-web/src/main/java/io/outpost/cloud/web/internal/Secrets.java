package io.outpost.cloud.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Hides the secrets of deployment manifests from tokens that may only read: the {@code password} of every
 * {@code registryCredentials.<name>} (the manifest has no other secret values). It finds them in every form they
 * are written in: a whole manifest or {@code $edgeAgent} desired properties (nested objects), and a layered
 * deployment's paths ({@code "properties.desired.runtime.settings.registryCredentials.r1": {...}}), by reading
 * every member name as dot-separated segments.
 */
final class Secrets {

    /** What a hidden value reads. */
    static final String REDACTED = "<redacted>";

    private static final String CREDENTIALS = "registryCredentials";

    private Secrets() {
    }

    /** A copy of {@code node} with every registry password replaced by {@link #REDACTED}. */
    static JsonNode redacted(JsonNode node) {
        JsonNode copy = node.deepCopy();
        redact(copy, List.of());
        return copy;
    }

    private static void redact(JsonNode node, List<String> path) {
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        List<String> secrets = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            List<String> at = new ArrayList<>(path);
            at.addAll(Arrays.asList(member.getKey().split("\\.", -1)));
            if (isPassword(at) && !member.getValue().isNull()) {
                secrets.add(member.getKey());
            } else {
                redact(member.getValue(), at);
            }
        }
        secrets.forEach(name -> object.put(name, REDACTED));
    }

    /** Whether a document holds registry credentials anywhere (a {@code registryCredentials} member, in any form). */
    static boolean carriesRegistryCredentials(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            if (Arrays.asList(member.getKey().split("\\.", -1)).contains(CREDENTIALS)
                    || carriesRegistryCredentials(member.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** {@code ... registryCredentials <name> password}. */
    private static boolean isPassword(List<String> path) {
        int n = path.size();
        return n >= 3 && path.get(n - 3).equals(CREDENTIALS) && path.get(n - 1).equals("password");
    }
}
