package io.outpost.cloud.web.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.AppliedConfiguration;
import io.outpost.cloud.C2dEntry;
import io.outpost.cloud.ConnectionState;
import io.outpost.cloud.DeploymentMetrics;
import io.outpost.cloud.Device;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.DeviceDeploymentStatus;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.ModuleIdentity;
import io.outpost.cloud.TelemetryMessage;
import io.outpost.cloud.Twin;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The JSON forms of the cloud's records, named as IoT Hub's service API names them ({@code deviceId},
 * {@code connectionState}, {@code properties.desired}, {@code $version}, {@code systemMetrics}).
 */
public final class Views {

    private Views() {
    }

    /** A device; its keys only when {@code withSecrets} (admin tokens, the shell, the create answer). */
    public static ObjectNode device(Device d, boolean withSecrets) {
        ObjectNode n = Json.object();
        n.put("deviceId", d.id());
        n.put("status", d.enabled() ? "enabled" : "disabled");
        n.put("connectionState", d.connectionState() == ConnectionState.CONNECTED ? "Connected" : "Disconnected");
        n.put("lastActivityTime", d.lastActivity().map(Object::toString).orElse(null));
        n.put("createdTime", d.createdAt().toString());
        n.set("authentication", auth(d.auth(), withSecrets));
        n.set("tags", Json.stored(d.tags()));
        n.put("parentId", d.parentId().orElse(null));
        return n;
    }

    public static ObjectNode module(ModuleIdentity m, boolean withSecrets) {
        ObjectNode n = Json.object();
        n.put("deviceId", m.deviceId());
        n.put("moduleId", m.moduleId());
        n.put("createdTime", m.createdAt().toString());
        n.set("authentication", auth(m.auth(), withSecrets));
        return n;
    }

    static ObjectNode auth(DeviceAuth auth, boolean withSecrets) {
        ObjectNode n = Json.object();
        n.put("type", auth.type());
        if (auth instanceof DeviceAuth.X509Thumbprints) {
            ObjectNode t = n.putObject("x509Thumbprint");
            t.put("primaryThumbprint", auth.primary());
            t.put("secondaryThumbprint", auth.secondary());
        } else if (withSecrets) {
            ObjectNode k = n.putObject("symmetricKey");
            k.put("primaryKey", auth.primary());
            k.put("secondaryKey", auth.secondary());
        }
        return n;
    }

    /** A twin as IoT Hub writes it: tags, properties.desired/reported with their {@code $version}, and the ETag. */
    public static ObjectNode twin(Twin t) {
        ObjectNode n = Json.object();
        n.put("deviceId", t.id().deviceId());
        t.id().moduleId().ifPresent(m -> n.put("moduleId", m));
        n.put("etag", t.etag());
        n.put("version", t.version());
        n.put("lastUpdatedTime", t.updatedAt().toString());
        if (!t.id().isModule()) {
            n.set("tags", Json.stored(t.tags()));
        }
        ObjectNode props = n.putObject("properties");
        ObjectNode desired = (ObjectNode) Json.stored(t.desired());
        desired.put("$version", t.desiredVersion());
        props.set("desired", desired);
        ObjectNode reported = (ObjectNode) Json.stored(t.reported());
        reported.put("$version", t.reportedVersion());
        props.set("reported", reported);
        return n;
    }

    /** A deployment in IoT Hub's configuration shape: id, content.modulesContent, targetCondition, priority, labels. */
    public static ObjectNode deployment(FleetDeployment d, boolean withContent) {
        ObjectNode n = Json.object();
        n.put("id", d.id());
        n.put("targetCondition", d.targetCondition());
        n.put("priority", d.priority());
        n.put("layered", d.layered());
        n.put("createdTimeUtc", d.createdAt().toString());
        ObjectNode labels = n.putObject("labels");
        d.labels().forEach(labels::put);
        if (withContent) {
            n.putObject("content").set("modulesContent", Json.stored(d.modulesContent()));
        }
        return n;
    }

    public static ObjectNode metrics(DeploymentMetrics m) {
        ObjectNode n = Json.object();
        n.put("targetedCount", m.targetedCount());
        n.put("appliedCount", m.appliedCount());
        n.put("reportedSuccessfulCount", m.reportedSuccessfulCount());
        n.put("reportedFailedCount", m.reportedFailedCount());
        return n;
    }

    public static ArrayNode statuses(List<DeviceDeploymentStatus> statuses) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (DeviceDeploymentStatus s : statuses) {
            ObjectNode n = a.addObject();
            n.put("deviceId", s.deviceId());
            n.put("status", s.state().name().toLowerCase(java.util.Locale.ROOT));
            n.put("detail", s.detail());
        }
        return a;
    }

    public static ObjectNode configuration(AppliedConfiguration c) {
        ObjectNode n = Json.object();
        n.put("deviceId", c.deviceId());
        n.put("base", c.base().orElse(null));
        ArrayNode layers = n.putArray("layers");
        c.layers().forEach(layers::add);
        n.set("modulesContent", Json.stored(c.modulesContent()));
        return n;
    }

    /**
     * A telemetry message. The body is given as JSON when it parses as JSON ({@code bodyEncoding: json}), as
     * text when it is UTF-8, and as base64 otherwise.
     */
    public static ObjectNode telemetry(TelemetryMessage m) {
        ObjectNode n = Json.object();
        n.put("sequence", m.sequence());
        n.put("deviceId", m.deviceId());
        n.put("moduleId", m.moduleId().orElse(null));
        n.put("enqueuedTime", m.enqueuedAt().toString());
        ObjectNode props = n.putObject("properties");
        m.properties().forEach(props::put);
        byte[] body = m.body();
        String text = utf8(body);
        if (text == null) {
            n.put("bodyEncoding", "base64");
            n.put("body", Base64.getEncoder().encodeToString(body));
            return n;
        }
        try {
            n.set("body", Json.MAPPER.readTree(text));
            n.put("bodyEncoding", "json");
            if (n.get("body") == null || n.get("body").isMissingNode()) {
                throw new IllegalArgumentException("empty");
            }
        } catch (Exception notJson) {
            n.put("bodyEncoding", "text");
            n.put("body", text);
        }
        return n;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** A message of a device's cloud-to-device queue (without its body: {@code bodyBytes} is its size). */
    public static ObjectNode c2d(C2dEntry e) {
        ObjectNode n = Json.object();
        n.put("messageId", e.message().messageId());
        n.put("state", e.state().label());
        n.put("enqueuedTimeUtc", e.enqueuedAt().toString());
        n.put("expiryTimeUtc", e.expiresAt().toString());
        n.put("stateChangedTimeUtc", e.stateChangedAt().toString());
        n.put("deliveryCount", e.deliveryCount());
        putIfSet(n, "correlationId", e.message().correlationId());
        putIfSet(n, "contentType", e.message().contentType());
        putIfSet(n, "contentEncoding", e.message().contentEncoding());
        n.put("ttlSeconds", e.message().ttl().toSeconds());
        ObjectNode props = n.putObject("properties");
        new java.util.TreeMap<>(e.message().properties()).forEach(props::put);
        n.put("bodyBytes", e.message().body().length);
        return n;
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (!value.isEmpty()) {
            n.put(field, value);
        }
    }
}
