package io.outpost.container.docker.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.common.OutpostException;
import io.outpost.container.ContainerErrorCode;
import io.outpost.container.ContainerLabels;
import io.outpost.container.ContainerSpec;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a {@link ContainerSpec} into the body of the engine's container-create call. The createOptions
 * JSON is kept as a tree and sent on verbatim, so every field the engine knows reaches it, including fields
 * this code has never heard of. Only these fields are changed: {@code Image} is set from the spec, the spec's
 * env is merged over {@code Env} (same name: the spec wins, in place; new names are appended in name order),
 * Outpost's labels are merged over {@code Labels}, {@code HostConfig.NetworkMode} gets the configured
 * default when absent, the spec's runtime binds are appended to {@code HostConfig.Binds}, and {@code NET_RAW} is
 * added to {@code HostConfig.CapDrop} unless {@code HostConfig.CapAdd} asks for it (or for {@code ALL}) or the
 * container is privileged; capability names are written upper case without {@code CAP_}. Like the engine, field
 * names are matched without regard to case.
 *
 * <p>{@code NET_RAW} is in Docker's default capability set; with it, a module on the host's network can open raw
 * sockets and capture the loopback traffic of other modules and of the runtime. Few modules need it
 * ({@code ping}, packet capture), and those ask for it in {@code CapAdd}.
 */
final class CreateOptions {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    /** The capability dropped from every container whose createOptions do not ask for it. */
    static final String NET_RAW = "NET_RAW";

    private CreateOptions() {
    }

    /** The create body as JSON bytes. */
    static byte[] toCreateBody(ContainerSpec spec, String defaultNetworkMode) {
        ObjectNode body = toCreateTree(spec, defaultNetworkMode);
        try {
            return MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    static ObjectNode toCreateTree(ContainerSpec spec, String defaultNetworkMode) {
        ObjectNode body = parse(spec.createOptions());
        body.put(field(body, "Image"), spec.image());
        body.set(field(body, "Env"), mergeEnv(body.get(field(body, "Env")), spec.env()));
        body.set(field(body, "Labels"), mergeLabels(body.get(field(body, "Labels")), spec));
        if (!defaultNetworkMode.isEmpty()) {
            applyDefaultNetworkMode(body, defaultNetworkMode);
        }
        if (!spec.binds().isEmpty()) {
            addBinds(body, spec.binds());
        }
        dropNetRaw(body);
        normalizeCapabilities(hostConfig(body));
        return body;
    }

    private static void dropNetRaw(ObjectNode body) {
        ObjectNode host = hostConfig(body);
        if (anyField(host, "Privileged", v -> v.asBoolean(false)) || anyField(host, "CapAdd", CreateOptions::hasNetRaw)
                || anyField(host, "CapDrop", CreateOptions::hasNetRaw)) {
            return;
        }
        String dropField = field(host, "CapDrop");
        JsonNode existing = host.get(dropField);
        if (existing != null && !existing.isNull() && !existing.isArray()) {
            throw invalid("createOptions HostConfig.CapDrop must be an array of capability names", null);
        }
        ArrayNode drop = existing == null || existing.isNull() ? host.putArray(dropField) : (ArrayNode) existing;
        drop.add(NET_RAW);
    }

    /**
     * Writes the capability names of {@code CapAdd} and {@code CapDrop} as the engine means them: upper case,
     * without {@code CAP_}. The engine accepts {@code sys_time} and {@code CAP_SYS_TIME} but stores them as
     * written, and docker-java's inspect then cannot read the container back (its capability enum knows
     * {@code SYS_TIME} only).
     */
    private static void normalizeCapabilities(ObjectNode host) {
        for (Iterator<Map.Entry<String, JsonNode>> it = host.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            boolean caps = e.getKey().equalsIgnoreCase("CapAdd") || e.getKey().equalsIgnoreCase("CapDrop");
            if (caps && e.getValue().isArray()) {
                ArrayNode list = (ArrayNode) e.getValue();
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i).isTextual()) {
                        String name = list.get(i).textValue().trim().toUpperCase(java.util.Locale.ROOT);
                        list.set(i, name.startsWith("CAP_") ? name.substring(4) : name);
                    }
                }
            }
        }
    }

    /** Whether a CapAdd or CapDrop list names NET_RAW, or ALL, in any of the spellings the engine accepts. */
    private static boolean hasNetRaw(JsonNode caps) {
        if (caps == null || !caps.isArray()) {
            return false;
        }
        for (JsonNode cap : caps) {
            String name = cap.asText("").trim().toUpperCase(java.util.Locale.ROOT);
            if (name.equals("ALL") || name.equals(NET_RAW) || name.equals("CAP_" + NET_RAW)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a field spelt as {@code canonical} in any case matches. */
    private static boolean anyField(ObjectNode node, String canonical, java.util.function.Predicate<JsonNode> test) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(canonical) && test.test(e.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** The labels Outpost writes on the container for the spec, over the spec's own extra labels. */
    static Map<String, String> outpostLabels(ContainerSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ContainerLabels.MANAGED, "true");
        labels.put(ContainerLabels.DEVICE, spec.owner().deviceId());
        labels.put(ContainerLabels.MODULE, spec.owner().moduleId());
        labels.put(ContainerLabels.DEPLOYMENT_VERSION, spec.owner().deploymentVersion());
        labels.put(ContainerLabels.CONFIG_HASH, spec.configHash());
        return labels;
    }

    private static ObjectNode parse(String createOptions) {
        if (createOptions.isBlank()) {
            return MAPPER.createObjectNode();
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(createOptions);
        } catch (JsonProcessingException e) {
            throw invalid("createOptions is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw invalid("createOptions must be a JSON object, was " + (tree == null ? "empty" : tree.getNodeType()), null);
        }
        return (ObjectNode) tree;
    }

    private static ArrayNode mergeEnv(JsonNode existing, Map<String, String> env) {
        Map<String, String> byName = new LinkedHashMap<>();
        if (existing != null && !existing.isNull()) {
            if (!existing.isArray()) {
                throw invalid("createOptions Env must be an array of \"NAME=value\" strings", null);
            }
            for (JsonNode entry : existing) {
                if (!entry.isTextual()) {
                    throw invalid("createOptions Env must hold strings, found " + entry.getNodeType(), null);
                }
                String text = entry.asText();
                int eq = text.indexOf('=');
                byName.put(eq < 0 ? text : text.substring(0, eq), text);
            }
        }
        new TreeMap<>(env).forEach((name, value) -> byName.put(name, name + "=" + value));
        ArrayNode merged = MAPPER.createArrayNode();
        byName.values().forEach(merged::add);
        return merged;
    }

    private static ObjectNode mergeLabels(JsonNode existing, ContainerSpec spec) {
        ObjectNode labels = MAPPER.createObjectNode();
        if (existing != null && !existing.isNull()) {
            if (!existing.isObject()) {
                throw invalid("createOptions Labels must be an object of string values", null);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = existing.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> label = it.next();
                if (!label.getValue().isTextual()) {
                    throw invalid("createOptions label '" + label.getKey() + "' must be a string", null);
                }
                labels.set(label.getKey(), label.getValue());
            }
        }
        spec.labels().forEach(labels::put);
        outpostLabels(spec).forEach(labels::put);
        return labels;
    }

    /** The spec's runtime binds are appended to {@code HostConfig.Binds}; binds already there are kept. */
    private static void addBinds(ObjectNode body, java.util.List<String> binds) {
        ObjectNode host = hostConfig(body);
        String bindsField = field(host, "Binds");
        JsonNode existing = host.get(bindsField);
        if (existing != null && !existing.isNull() && !existing.isArray()) {
            throw invalid("createOptions HostConfig.Binds must be an array of strings", null);
        }
        ArrayNode merged = existing == null || existing.isNull() ? host.putArray(bindsField) : (ArrayNode) existing;
        java.util.Set<String> present = new java.util.HashSet<>();
        merged.forEach(b -> present.add(b.asText()));
        binds.stream().filter(present::add).forEach(merged::add);
    }

    private static ObjectNode hostConfig(ObjectNode body) {
        String hostConfigField = field(body, "HostConfig");
        JsonNode hostConfig = body.get(hostConfigField);
        if (hostConfig == null || hostConfig.isNull()) {
            hostConfig = body.putObject(hostConfigField);
        }
        if (!hostConfig.isObject()) {
            throw invalid("createOptions HostConfig must be an object", null);
        }
        return (ObjectNode) hostConfig;
    }

    private static void applyDefaultNetworkMode(ObjectNode body, String networkMode) {
        ObjectNode host = hostConfig(body);
        String modeField = field(host, "NetworkMode");
        JsonNode mode = host.get(modeField);
        if (mode == null || mode.isNull() || mode.asText().isEmpty()) {
            host.put(modeField, networkMode);
        }
    }

    /** The name under which the object holds {@code canonical}, matched as the engine does (ignoring case). */
    static String field(ObjectNode node, String canonical) {
        if (node.has(canonical)) {
            return canonical;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (name.equalsIgnoreCase(canonical)) {
                return name;
            }
        }
        return canonical;
    }

    private static OutpostException invalid(String message, Throwable cause) {
        return new OutpostException(ContainerErrorCode.INVALID_CREATE_OPTIONS, message, cause);
    }
}
