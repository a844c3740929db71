package io.outpost.cloud.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.CloudToDeviceMessage;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.Ids;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.cloud.web.FieldException;
import io.outpost.common.OutpostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Reads request documents into the cloud's records; every refusal names the field it is about. */
public final class Requests {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern THUMBPRINT = Pattern.compile("[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64}");
    /** IoT Hub's characters for message ids: ASCII letters, digits and {@code -:.+%_#*?!(),=@;$'}. */
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9\\-:.+%_#*?!(),=@;$']{1,128}");

    /** Largest cloud-to-device message, body and application properties (names and values) together, as IoT Hub. */
    public static final int MAX_C2D_BYTES = 64 * 1024;

    private Requests() {
    }

    /**
     * A new device: {@code deviceId}, optional {@code authentication}, {@code tags}, {@code status} and
     * {@code parentId} (the edge device whose scope it is in).
     */
    public record NewDevice(String deviceId, DeviceAuth auth, String tags, boolean enabled, Optional<String> parentId) {
    }

    /** A new module identity: {@code moduleId} and optional {@code authentication}. */
    public record NewModule(String moduleId, DeviceAuth auth) {
    }

    public static NewDevice newDevice(JsonNode body) {
        ObjectNode o = object(body, "");
        only(o, "", Set.of("deviceId", "authentication", "tags", "status", "parentId"));
        String id = id(o, "deviceId", true);
        Optional<String> parent = o.hasNonNull("parentId") ? Optional.of(id(o, "parentId", true)) : Optional.empty();
        DeviceAuth auth = auth(o.get("authentication"), "authentication");
        JsonNode tags = o.get("tags");
        if (tags != null && !tags.isObject()) {
            throw new FieldException("tags", "tags must be a JSON object");
        }
        boolean enabled = o.has("status") ? enabled(o.get("status"), "status") : true;
        return new NewDevice(id, auth, tags == null ? "{}" : Json.write(tags), enabled, parent);
    }

    /** IoT Hub's longest time to live of a cloud-to-device message, in seconds (48 h). */
    public static final int MAX_C2D_TTL_SECS = 172_800;
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e]{1,128}");

    /**
     * A cloud-to-device message: {@code {"body": "<text>", "properties"?: {"k": "v"}, "messageId"?,
     * "correlationId"?, "contentType"?, "contentEncoding"?, "ttlSeconds"?}}.
     */
    public static CloudToDeviceMessage c2dMessage(JsonNode body) {
        ObjectNode o = object(body, "");
        only(o, "", Set.of("body", "properties", "messageId", "correlationId", "contentType", "contentEncoding",
                "ttlSeconds"));
        String text = text(o, "body", true);
        Map<String, String> properties = new TreeMap<>();
        JsonNode props = o.get("properties");
        if (props != null && !props.isNull()) {
            ObjectNode po = object(props, "properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = po.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new FieldException("properties." + e.getKey(), "properties." + e.getKey()
                            + " must be a string, got " + e.getValue());
                }
                properties.put(e.getKey(), e.getValue().asText());
            }
        }
        Integer ttl = null;
        JsonNode t = o.get("ttlSeconds");
        if (t != null && !t.isNull()) {
            if (!t.isIntegralNumber() || !t.canConvertToInt()) {
                throw new FieldException("ttlSeconds", "ttlSeconds must be a whole number from 1 to "
                        + MAX_C2D_TTL_SECS + ", got " + t);
            }
            ttl = t.asInt();
        }
        return c2dMessage(text, properties, text(o, "messageId", false), text(o, "correlationId", false),
                text(o, "contentType", false), text(o, "contentEncoding", false), ttl);
    }

    /** As {@link #c2dMessage(String, Map, String, String, String, String, Integer)} with only a messageId. */
    public static CloudToDeviceMessage c2dMessage(String body, Map<String, String> properties, String messageId) {
        return c2dMessage(body, properties, messageId, null, null, null, null);
    }

    /**
     * Checks a cloud-to-device message: property names non-empty and not starting with {@code $} (those are
     * system properties), {@code messageId} IoT Hub's form, {@code correlationId}, {@code contentType} and
     * {@code contentEncoding} 1 to 128 printable ASCII characters, {@code ttlSeconds} from 1 to 172800, at most
     * {@link #MAX_C2D_BYTES} in all. Null stands for "not given" (the time to live is then the endpoint's default,
     * the messageId generated when the message is queued).
     */
    public static CloudToDeviceMessage c2dMessage(String body, Map<String, String> properties, String messageId,
            String correlationId, String contentType, String contentEncoding, Integer ttlSeconds) {
        if (body == null) {
            throw new FieldException("body", "body is required");
        }
        long size = body.getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().startsWith("$")) {
                throw new FieldException("properties." + e.getKey(), "property name '" + e.getKey()
                        + "' must be non-empty and not start with '$' (system properties)");
            }
            size += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (size > MAX_C2D_BYTES) {
            throw new FieldException("body", "the message (body and properties) is " + size + " bytes; at most "
                    + MAX_C2D_BYTES);
        }
        if (messageId != null && !MESSAGE_ID.matcher(messageId).matches()) {
            throw new FieldException("messageId", "messageId must be 1 to 128 ASCII letters, digits or "
                    + "-:.+%_#*?!(),=@;$' characters, got '" + messageId + "'");
        }
        printable("correlationId", correlationId);
        printable("contentType", contentType);
        printable("contentEncoding", contentEncoding);
        if (ttlSeconds != null && (ttlSeconds < 1 || ttlSeconds > MAX_C2D_TTL_SECS)) {
            throw new FieldException("ttlSeconds", "ttlSeconds must be a whole number from 1 to " + MAX_C2D_TTL_SECS
                    + " (48 h), got " + ttlSeconds);
        }
        return new CloudToDeviceMessage(messageId == null ? "" : messageId, orEmpty(correlationId),
                orEmpty(contentType), orEmpty(contentEncoding),
                ttlSeconds == null ? Duration.ZERO : Duration.ofSeconds(ttlSeconds), properties,
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static void printable(String field, String value) {
        if (value != null && !PRINTABLE.matcher(value).matches()) {
            throw new FieldException(field, field + " must be 1 to 128 printable ASCII characters, got '"
                    + (value.length() > 140 ? value.substring(0, 140) + "..." : value) + "'");
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    public static NewModule newModule(JsonNode body) {
        ObjectNode o = object(body, "");
        only(o, "", Set.of("moduleId", "authentication"));
        String id = id(o, "moduleId", false);
        return new NewModule(id, auth(o.get("authentication"), "authentication"));
    }

    /**
     * A change of a device: {@code status}, {@code authentication} and/or {@code parentId}; empty where not given.
     *
     * @param enabled the new status
     * @param auth the new credentials, read as {@link #newDevice(JsonNode)} reads them (a SAS type without keys
     *     stands for two freshly generated keys)
     * @param parentId the new parent: a device id, or empty ({@code null} in JSON) for none
     */
    public record DeviceChange(Optional<Boolean> enabled, Optional<DeviceAuth> auth,
            Optional<Optional<String>> parentId) {
    }

    /**
     * {@code {"status"?: "enabled"|"disabled", "authentication"?: {...}, "parentId"?: "<id>"|null}}, at least one of
     * them.
     */
    public static DeviceChange deviceChange(JsonNode body) {
        ObjectNode o = object(body, "");
        only(o, "", Set.of("status", "authentication", "parentId"));
        if (!o.has("status") && !o.has("authentication") && !o.has("parentId")) {
            throw new FieldException("status", "status (enabled or disabled), authentication or parentId is required");
        }
        Optional<Boolean> enabled = o.has("status") ? Optional.of(enabled(o.get("status"), "status")) : Optional.empty();
        Optional<DeviceAuth> auth = Optional.empty();
        if (o.has("authentication")) {
            object(o.get("authentication"), "authentication");
            auth = Optional.of(auth(o.get("authentication"), "authentication"));
        }
        Optional<Optional<String>> parentId = Optional.empty();
        if (o.has("parentId")) {
            parentId = Optional.of(o.get("parentId").isNull() ? Optional.empty()
                    : Optional.of(id(o, "parentId", true)));
        }
        return new DeviceChange(enabled, auth, parentId);
    }

    /** Two symmetric keys, each base64 of at least 16 bytes; errors name {@code field}.primaryKey or .secondaryKey. */
    public static DeviceAuth.SymmetricKeys symmetricKeys(String primary, String secondary, String field) {
        ObjectNode o = Json.object();
        o.put("primaryKey", primary == null ? "" : primary);
        o.put("secondaryKey", secondary == null ? "" : secondary);
        return new DeviceAuth.SymmetricKeys(key(o, field + ".primaryKey", "primaryKey"),
                key(o, field + ".secondaryKey", "secondaryKey"));
    }

    /**
     * A twin change: {@code tags} and/or {@code properties.desired}, each merged as a JSON merge patch (a
     * {@code null} value removes a property). Reported properties belong to the device and are refused.
     */
    public static List<TwinPatch> twinPatches(JsonNode body, boolean moduleTwin) {
        ObjectNode o = object(body, "");
        only(o, "", Set.of("tags", "properties", "etag", "deviceId", "moduleId"));
        List<TwinPatch> patches = new ArrayList<>();
        JsonNode tags = o.get("tags");
        if (tags != null) {
            if (moduleTwin) {
                throw new FieldException("tags", "module twins have no tags: set tags on the device twin");
            }
            if (!tags.isObject()) {
                throw new FieldException("tags", "tags must be a JSON object");
            }
            patches.add(TwinPatch.merge(TwinSection.TAGS, Json.write(tags)));
        }
        JsonNode props = o.get("properties");
        if (props != null) {
            ObjectNode p = object(props, "properties");
            if (p.has("reported")) {
                throw new FieldException("properties.reported", "reported properties are written by the device, not by the API");
            }
            only(p, "properties.", Set.of("desired"));
            JsonNode desired = p.get("desired");
            if (desired != null) {
                ObjectNode d = object(desired, "properties.desired").deepCopy();
                d.remove("$version");
                d.remove("$metadata");
                patches.add(TwinPatch.merge(TwinSection.DESIRED, Json.write(d)));
            }
        }
        if (patches.isEmpty()) {
            throw new FieldException("", "nothing to change: give tags or properties.desired");
        }
        return patches;
    }

    /**
     * A deployment in IoT Hub's configuration shape: {@code id}, {@code content.modulesContent} (or
     * {@code modulesContent} at the top, as in a deployment manifest file), {@code targetCondition},
     * {@code priority}, {@code labels}, {@code layered}. Values in {@code overrides} (the shell's options) win over
     * the document's.
     */
    public static FleetDeployment deployment(JsonNode body, Map<String, Object> overrides) {
        ObjectNode o = object(body, "").deepCopy();
        overrides.forEach((k, v) -> o.set(k, Json.MAPPER.valueToTree(v)));
        only(o, "", Set.of("id", "content", "modulesContent", "targetCondition", "priority", "labels", "layered",
                "allowReportedConditions", "schemaVersion", "metrics", "etag", "createdTimeUtc", "lastUpdatedTimeUtc", "systemMetrics"));
        String id = text(o, "id", true);
        try {
            Ids.deployment(id);
        } catch (OutpostException e) {
            throw new FieldException("id", e.getMessage());
        }
        String contentField;
        JsonNode content;
        if (o.has("content")) {
            ObjectNode c = object(o.get("content"), "content");
            only(c, "content.", Set.of("modulesContent"));
            contentField = "content.modulesContent";
            content = c.get("modulesContent");
        } else {
            contentField = "content.modulesContent";
            content = o.get("modulesContent");
            if (content != null) {
                contentField = "modulesContent";
            }
        }
        if (content == null || !content.isObject()) {
            throw new FieldException(contentField, contentField + " is required: a JSON object");
        }
        String condition = text(o, "targetCondition", true);
        if (condition.isBlank()) {
            throw new FieldException("targetCondition", "targetCondition must not be empty");
        }
        int priority = 0;
        JsonNode p = o.get("priority");
        if (p != null && !p.isNull()) {
            if (!p.canConvertToInt() || !p.isIntegralNumber() || p.asInt() < 0) {
                throw new FieldException("priority", "priority must be a whole number of 0 or more, got " + p);
            }
            priority = p.asInt();
        }
        Map<String, String> labels = new TreeMap<>();
        JsonNode l = o.get("labels");
        if (l != null && !l.isNull()) {
            ObjectNode lo = object(l, "labels");
            for (Iterator<Map.Entry<String, JsonNode>> it = lo.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new FieldException("labels." + e.getKey(), "label values must be strings");
                }
                labels.put(e.getKey(), e.getValue().asText());
            }
        }
        boolean layered = false;
        JsonNode ly = o.get("layered");
        if (ly != null && !ly.isNull()) {
            if (!ly.isBoolean()) {
                throw new FieldException("layered", "layered must be true or false");
            }
            layered = ly.asBoolean();
        }
        checkReportedCondition(o, condition, content, contentField);
        return FleetDeployment.of(id, Json.write(content), condition, priority, labels, layered);
    }

    /**
     * A device writes its own reported properties, so a condition on them lets a device opt itself in: refused
     * when the content carries registry credentials, unless {@code allowReportedConditions} is {@code true}.
     */
    private static void checkReportedCondition(ObjectNode o, String condition, JsonNode content, String contentField) {
        JsonNode allow = o.get("allowReportedConditions");
        if (allow != null && !allow.isNull() && !allow.isBoolean()) {
            throw new FieldException("allowReportedConditions", "allowReportedConditions must be true or false");
        }
        boolean allowed = allow != null && allow.asBoolean(false);
        if (!allowed && ReportedConditions.uses(condition) && Secrets.carriesRegistryCredentials(content)) {
            throw new FieldException("targetCondition", "targetCondition refers to properties.reported, which a "
                    + "device writes itself, and " + contentField + " carries registryCredentials: a device could "
                    + "report its way into this deployment and receive them; target by tags or deviceId, or set "
                    + "\"allowReportedConditions\": true to accept that risk");
        }
    }

    /** The field a deployment's content was given in, for errors about it found later by the store. */
    public static String contentField(JsonNode body) {
        return body != null && body.isObject() && !body.has("content") && body.has("modulesContent")
                ? "modulesContent" : "content.modulesContent";
    }

    /** Two fresh symmetric keys of 32 random bytes each. */
    public static DeviceAuth.SymmetricKeys generateKeys() {
        return new DeviceAuth.SymmetricKeys(key(), key());
    }

    private static String key() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** X.509 thumbprints: hex SHA-1 (40) or SHA-256 (64); the secondary may be empty. */
    public static DeviceAuth.X509Thumbprints thumbprints(String primary, String secondary, String field) {
        if (primary == null || !THUMBPRINT.matcher(primary).matches()) {
            throw new FieldException(field + ".primaryThumbprint",
                    "primaryThumbprint must be 40 or 64 hex digits (SHA-1 or SHA-256), got '" + primary + "'");
        }
        if (secondary != null && !secondary.isEmpty() && !THUMBPRINT.matcher(secondary).matches()) {
            throw new FieldException(field + ".secondaryThumbprint",
                    "secondaryThumbprint must be 40 or 64 hex digits (SHA-1 or SHA-256), got '" + secondary + "'");
        }
        return new DeviceAuth.X509Thumbprints(primary, secondary == null ? "" : secondary);
    }

    private static DeviceAuth auth(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return generateKeys();
        }
        ObjectNode o = object(node, field);
        only(o, field + ".", Set.of("type", "symmetricKey", "x509Thumbprint"));
        String type = o.has("type") ? o.get("type").asText() : "sas";
        switch (type) {
            case "sas": {
                JsonNode k = o.get("symmetricKey");
                if (k == null || k.isNull()) {
                    return generateKeys();
                }
                ObjectNode ko = object(k, field + ".symmetricKey");
                return new DeviceAuth.SymmetricKeys(key(ko, field + ".symmetricKey.primaryKey", "primaryKey"),
                        key(ko, field + ".symmetricKey.secondaryKey", "secondaryKey"));
            }
            case "x509": {
                ObjectNode t = object(o.get("x509Thumbprint"), field + ".x509Thumbprint");
                return thumbprints(t.path("primaryThumbprint").asText(null), t.path("secondaryThumbprint").asText(""),
                        field + ".x509Thumbprint");
            }
            default:
                throw new FieldException(field + ".type", "authentication type must be sas or x509, got '" + type + "'");
        }
    }

    private static String key(ObjectNode o, String field, String name) {
        String k = o.path(name).asText("");
        try {
            if (Base64.getDecoder().decode(k).length >= 16) {
                return k;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new FieldException(field, name + " must be base64 of at least 16 bytes");
    }

    private static boolean enabled(JsonNode node, String field) {
        String s = node.asText("");
        if ("enabled".equals(s)) {
            return true;
        }
        if ("disabled".equals(s)) {
            return false;
        }
        throw new FieldException(field, field + " must be enabled or disabled, got " + node);
    }

    private static String id(ObjectNode o, String field, boolean device) {
        String id = text(o, field, true);
        try {
            return device ? Ids.device(id) : Ids.module(id);
        } catch (OutpostException e) {
            throw new FieldException(field, e.getMessage());
        }
    }

    private static String text(ObjectNode o, String field, boolean required) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new FieldException(field, field + " is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw new FieldException(field, field + " must be a string");
        }
        return n.asText();
    }

    static ObjectNode object(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw new FieldException(field, (field.isEmpty() ? "the request body" : field) + " must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static void only(ObjectNode o, String prefix, Set<String> allowed) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new FieldException(prefix + name, "unknown field '" + prefix + name + "'; expected one of "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }
}
