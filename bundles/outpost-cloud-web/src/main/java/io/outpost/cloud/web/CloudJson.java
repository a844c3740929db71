package io.outpost.cloud.web;

import io.outpost.cloud.CloudToDeviceMessage;
import io.outpost.cloud.Device;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.ModuleIdentity;
import io.outpost.cloud.Twin;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinService;
import io.outpost.cloud.web.internal.CloudApi;
import io.outpost.cloud.web.internal.Json;
import io.outpost.cloud.web.internal.Requests;
import io.outpost.cloud.web.internal.Views;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The REST API's JSON forms and request rules, for the {@code cloud:*} shell commands: they read and print the
 * same documents as the API, and refuse the same mistakes with the same messages.
 */
public final class CloudJson {

    private CloudJson() {
    }

    /** A twin as the API shows it, indented. */
    public static String twin(Twin twin) {
        return Json.pretty(Views.twin(twin));
    }

    /** A device as the API shows it, indented; its keys only with {@code withSecrets}. */
    public static String device(Device device, boolean withSecrets) {
        return Json.pretty(Views.device(device, withSecrets));
    }

    public static String module(ModuleIdentity module, boolean withSecrets) {
        return Json.pretty(Views.module(module, withSecrets));
    }

    /**
     * Checks that the text is JSON.
     *
     * @throws FieldException naming {@code field} when it is not
     */
    public static void check(String json, String field) {
        Json.parse(json, field);
    }

    /** Any JSON text, indented. */
    public static String pretty(String json) {
        return Json.pretty(Json.stored(json));
    }

    /** Two fresh random SAS keys. */
    public static DeviceAuth.SymmetricKeys generateKeys() {
        return Requests.generateKeys();
    }

    /** X.509 thumbprints, checked (40 or 64 hex digits); {@code secondary} may be null. */
    public static DeviceAuth.X509Thumbprints thumbprints(String primary, String secondary) {
        return Requests.thumbprints(primary, secondary, "x509Thumbprint");
    }

    /** Two SAS keys, checked (base64 of at least 16 bytes each). */
    public static DeviceAuth.SymmetricKeys symmetricKeys(String primary, String secondary) {
        return Requests.symmetricKeys(primary, secondary, "symmetricKey");
    }

        /** Checks tags given as text: a JSON object. Returns it compacted. */
    public static String tags(String json) {
        var node = Json.parse(json, "tags");
        if (!node.isObject()) {
            throw new FieldException("tags", "tags must be a JSON object");
        }
        return Json.write(node);
    }

    /**
     * A cloud-to-device message checked as {@code POST /devices/{id}/messages} checks it: property names non-empty
     * and not starting with {@code $}, {@code messageId} (null: none) in IoT Hub's form, at most 64 KiB.
     *
     * @throws FieldException naming the bad field
     */
    public static CloudToDeviceMessage c2dMessage(String body, Map<String, String> properties, String messageId) {
        return Requests.c2dMessage(body, properties, messageId);
    }

    /**
     * As {@link #c2dMessage(String, Map, String)} with IoT Hub's other system properties and a time to live in
     * seconds (1 to 172800); null for each one not given.
     *
     * @throws FieldException naming the bad field
     */
    public static CloudToDeviceMessage c2dMessage(String body, Map<String, String> properties, String messageId,
            String correlationId, String contentType, String contentEncoding, Integer ttlSeconds) {
        return Requests.c2dMessage(body, properties, messageId, correlationId, contentType, contentEncoding,
                ttlSeconds);
    }

    /**
     * Creates a deployment from a document in the API's form (or a deployment manifest file with
     * {@code modulesContent} at the top); {@code overrides} (id, targetCondition, priority, labels, layered)
     * win over the document.
     */
    public static FleetDeployment createDeployment(FleetDeploymentService deployments, String json,
            Map<String, Object> overrides) {
        return CloudApi.createDeployment(deployments, Json.parse(json, ""), overrides);
    }

    /**
     * Changes a twin as {@code PATCH .../twin} does: {@code {"tags": {...}, "properties": {"desired": {...}}}},
     * merged; refused unless the twin is at {@code ifVersion} when given; re-applies the fleet when tags changed.
     */
    public static Twin updateTwin(TwinService twins, FleetDeploymentService deployments, TwinId id, String json,
            OptionalLong ifVersion) {
        return CloudApi.applyTwin(twins, deployments, id, Requests.twinPatches(Json.parse(json, ""), id.isModule()),
                ifVersion);
    }
}
