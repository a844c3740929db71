package io.outpost.cloud.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.C2dEntry;
import io.outpost.cloud.C2dState;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.CloudMessaging;
import io.outpost.cloud.CloudToDeviceMessage;
import io.outpost.cloud.ConnectionState;
import io.outpost.cloud.Device;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.MethodResponse;
import io.outpost.cloud.ModuleIdentity;
import io.outpost.cloud.TargetConditionException;
import io.outpost.cloud.TelemetryStore;
import io.outpost.cloud.Twin;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.cloud.TwinService;
import io.outpost.cloud.web.FieldException;
import io.outpost.cloud.web.TokenScope;
import io.outpost.common.OutpostException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API's operations over the cloud's services. {@link #routes()} is the one list of what is
 * implemented: the servlet dispatches by it, and a test checks the OpenAPI description against it.
 */
public final class CloudApi {

    private static final Logger LOG = LoggerFactory.getLogger(CloudApi.class);

    /** Telemetry messages returned when the request gives no {@code limit}. */
    static final int DEFAULT_TELEMETRY = 100;
    static final int MAX_TELEMETRY = 1000;

    private final DeviceRegistry registry;
    private final TwinService twins;
    private final FleetDeploymentService deployments;
    private final TelemetryStore telemetry;
    private final Supplier<CloudMessaging> messaging;
    private final List<Route> routes;

    public CloudApi(DeviceRegistry registry, TwinService twins, FleetDeploymentService deployments,
            TelemetryStore telemetry) {
        this(registry, twins, deployments, telemetry, () -> null);
    }

    /** @param messaging the device endpoint's messaging (direct methods, cloud-to-device messages); null while the endpoint is not running */
    public CloudApi(DeviceRegistry registry, TwinService twins, FleetDeploymentService deployments,
            TelemetryStore telemetry, Supplier<CloudMessaging> messaging) {
        this.messaging = messaging;
        this.registry = registry;
        this.twins = twins;
        this.deployments = deployments;
        this.telemetry = telemetry;
        TokenScope r = TokenScope.READ;
        TokenScope w = TokenScope.ADMIN;
        this.routes = List.of(
                new Route("GET", "/summary", r, c -> summary()),
                new Route("GET", "/devices", r, c -> listDevices()),
                new Route("POST", "/devices", w, this::createDevice),
                new Route("GET", "/devices/{deviceId}", r, this::showDevice),
                new Route("PATCH", "/devices/{deviceId}", w, this::patchDevice),
                new Route("DELETE", "/devices/{deviceId}", w, this::deleteDevice),
                new Route("GET", "/devices/{deviceId}/twin", r, c -> twin(c, deviceTwin(c))),
                new Route("PATCH", "/devices/{deviceId}/twin", w, c -> patchTwin(c, deviceTwin(c))),
                new Route("GET", "/devices/{deviceId}/configuration", r, this::configuration),
                new Route("GET", "/devices/{deviceId}/telemetry", r, this::recentTelemetry),
                new Route("GET", "/devices/{deviceId}/modules", r, this::listModules),
                new Route("POST", "/devices/{deviceId}/modules", w, this::createModule),
                new Route("GET", "/devices/{deviceId}/modules/{moduleId}", r, this::showModule),
                new Route("DELETE", "/devices/{deviceId}/modules/{moduleId}", w, this::deleteModule),
                new Route("GET", "/devices/{deviceId}/modules/{moduleId}/twin", r, c -> twin(c, moduleTwin(c))),
                new Route("PATCH", "/devices/{deviceId}/modules/{moduleId}/twin", w, c -> patchTwin(c, moduleTwin(c))),
                new Route("POST", "/devices/{deviceId}/methods", w, c -> invokeMethod(c, deviceTwin(c))),
                new Route("POST", "/devices/{deviceId}/modules/{moduleId}/methods", w,
                        c -> invokeMethod(c, moduleTwin(c))),
                new Route("POST", "/devices/{deviceId}/messages", w, this::sendMessage),
                new Route("GET", "/devices/{deviceId}/messages", r, this::listMessages),
                new Route("DELETE", "/devices/{deviceId}/messages", w, this::purgeMessages),
                new Route("GET", "/deployments", r, c -> listDeployments()),
                new Route("POST", "/deployments", w, this::createDeployment),
                new Route("GET", "/deployments/{deploymentId}", r, this::showDeployment),
                new Route("DELETE", "/deployments/{deploymentId}", w, this::deleteDeployment));
    }

    public List<Route> routes() {
        return routes;
    }

    // ---- summary

    private Route.Reply summary() {
        List<Device> all = registry.list();
        ObjectNode n = Json.object();
        ObjectNode devices = n.putObject("devices");
        devices.put("total", all.size());
        devices.put("connected", all.stream().filter(d -> d.connectionState() == ConnectionState.CONNECTED).count());
        devices.put("enabled", all.stream().filter(Device::enabled).count());
        ArrayNode list = n.putArray("deployments");
        for (FleetDeployment d : deployments.list()) {
            list.add(deploymentSummary(d));
        }
        return Route.Reply.ok(n);
    }

    private ObjectNode deploymentSummary(FleetDeployment d) {
        ObjectNode v = Views.deployment(d, false);
        v.set("metrics", Views.metrics(deployments.metrics(d.id())));
        return v;
    }

    // ---- devices

    private Route.Reply listDevices() {
        ArrayNode a = Json.MAPPER.createArrayNode();
        registry.list().forEach(d -> a.add(Views.device(d, false)));
        return Route.Reply.ok(a);
    }

    private Route.Reply createDevice(Route.Call c) {
        Requests.NewDevice nd = Requests.newDevice(c.json());
        Device d = registry.create(nd.deviceId(), nd.auth(), nd.tags(), nd.parentId());
        if (!nd.enabled()) {
            d = registry.setEnabled(d.id(), false);
        }
        LOG.info("api-device-created id={} auth={}", d.id(), d.auth().type());
        deployments.applyAll();
        return Route.Reply.created("/api/v1/devices/" + encode(d.id()), Views.device(d, true));
    }

    private Route.Reply showDevice(Route.Call c) {
        return Route.Reply.ok(Views.device(device(c), c.token().scope() == TokenScope.ADMIN));
    }

    private Route.Reply patchDevice(Route.Call c) {
        Requests.DeviceChange change = Requests.deviceChange(c.json());
        deviceIfMatch(c.header("if-match").orElse(null));
        Device d = device(c);
        if (change.parentId().isPresent()) {
            Optional<String> parent = change.parentId().get();
            try {
                d = registry.setParent(d.id(), parent);
            } catch (OutpostException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("parentId:")) {
                    throw new FieldException(e.errorCode(), "parentId", e.getMessage(), e);
                }
                throw e;
            }
            LOG.info("api-device-parent-changed id={} parent={}", d.id(), parent.orElse("none"));
        }
        if (change.auth().isPresent()) {
            d = registry.setAuth(d.id(), change.auth().get());
            LOG.info("api-device-auth-changed id={} auth={}", d.id(), d.auth().type());
        }
        if (change.enabled().isPresent()) {
            d = registry.setEnabled(d.id(), change.enabled().get());
        }
        return Route.Reply.ok(Views.device(d, true));
    }

    /** A device has no ETag of its own (its twin has): only {@code If-Match: *} (or none) is accepted. */
    static void deviceIfMatch(String header) {
        if (header != null && !header.isBlank() && !header.strip().equals("*")) {
            throw new FieldException("If-Match", "a device has no ETag (its twin has): If-Match must be * or absent, got "
                    + header);
        }
    }

    private Route.Reply deleteDevice(Route.Call c) {
        if (!registry.delete(c.param("deviceId"))) {
            throw notFound("device", c.param("deviceId"));
        }
        LOG.info("api-device-deleted id={}", c.param("deviceId"));
        return Route.Reply.noContent();
    }

    private Device device(Route.Call c) {
        String id = c.param("deviceId");
        return registry.get(id).orElseThrow(() -> notFound("device", id));
    }

    private Route.Reply configuration(Route.Call c) {
        return Route.Reply.ok(forScope(c, Views.configuration(deployments.configurationFor(device(c).id()))));
    }

    private Route.Reply recentTelemetry(Route.Call c) {
        Device d = device(c);
        int limit = DEFAULT_TELEMETRY;
        String l = c.query().get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_TELEMETRY) {
                throw new FieldException("limit", "limit must be a whole number from 1 to " + MAX_TELEMETRY + ", got '" + l + "'");
            }
        }
        ArrayNode a = Json.MAPPER.createArrayNode();
        telemetry.recent(d.id(), limit).forEach(m -> a.add(Views.telemetry(m)));
        return Route.Reply.ok(a);
    }

    // ---- modules

    private Route.Reply listModules(Route.Call c) {
        Device d = device(c);
        boolean secrets = c.token().scope() == TokenScope.ADMIN;
        Map<String, ObjectNode> byId = new TreeMap<>();
        for (ModuleIdentity m : registry.modules(d.id())) {
            byId.computeIfAbsent(m.moduleId(), this::moduleEntry).set("identity", Views.module(m, secrets));
        }
        for (Twin t : twins.moduleTwins(d.id())) {
            String module = t.id().moduleId().orElseThrow();
            byId.computeIfAbsent(module, this::moduleEntry).set("twin", forScope(c, Views.twin(t)));
        }
        ArrayNode a = Json.MAPPER.createArrayNode();
        byId.values().forEach(a::add);
        return Route.Reply.ok(a);
    }

    private ObjectNode moduleEntry(String moduleId) {
        ObjectNode n = Json.object();
        n.put("moduleId", moduleId);
        n.putNull("identity");
        n.putNull("twin");
        return n;
    }

    private Route.Reply createModule(Route.Call c) {
        Device d = device(c);
        Requests.NewModule nm = Requests.newModule(c.json());
        ModuleIdentity m = registry.createModule(d.id(), nm.moduleId(), nm.auth());
        LOG.info("api-module-created device={} module={}", d.id(), m.moduleId());
        return Route.Reply.created("/api/v1/devices/" + encode(d.id()) + "/modules/" + encode(m.moduleId()),
                Views.module(m, true));
    }

    private Route.Reply showModule(Route.Call c) {
        Device d = device(c);
        String id = c.param("moduleId");
        ModuleIdentity m = registry.getModule(d.id(), id).orElseThrow(() -> notFound("module", d.id() + "/" + id));
        return Route.Reply.ok(Views.module(m, c.token().scope() == TokenScope.ADMIN));
    }

    private Route.Reply deleteModule(Route.Call c) {
        Device d = device(c);
        if (!registry.deleteModule(d.id(), c.param("moduleId"))) {
            throw notFound("module", d.id() + "/" + c.param("moduleId"));
        }
        return Route.Reply.noContent();
    }

    // ---- twins

    private TwinId deviceTwin(Route.Call c) {
        return TwinId.device(device(c).id());
    }

    private TwinId moduleTwin(Route.Call c) {
        return TwinId.module(device(c).id(), c.param("moduleId"));
    }

    private Route.Reply twin(Route.Call c, TwinId id) {
        Twin t = twins.get(id).orElseThrow(() -> notFound("twin", id.toString()));
        return Route.Reply.ok(forScope(c, Views.twin(t))).withHeader("ETag", t.etag());
    }

    /** What the caller's token may see of a document: registry passwords are hidden unless it is an admin token. */
    private static JsonNode forScope(Route.Call c, JsonNode view) {
        return c.token().scope() == TokenScope.ADMIN ? view : Secrets.redacted(view);
    }

    private Route.Reply patchTwin(Route.Call c, TwinId id) {
        List<TwinPatch> patches = Requests.twinPatches(c.json(), id.isModule());
        OptionalLong ifVersion = ifMatch(c.header("if-match").orElse(null));
        Twin t = applyTwin(twins, deployments, id, patches, ifVersion);
        return Route.Reply.ok(Views.twin(t)).withHeader("ETag", t.etag());
    }

    /**
     * Applies twin patches in order, the first one checked against {@code ifVersion} and each next one against
     * the version the previous one produced; applies the fleet again when tags changed (they choose deployments).
     */
    public static Twin applyTwin(TwinService twins, FleetDeploymentService deployments, TwinId id,
            List<TwinPatch> patches, OptionalLong ifVersion) {
        Twin t = null;
        OptionalLong expected = ifVersion;
        boolean tags = false;
        for (TwinPatch p : patches) {
            TwinPatch checked = expected.isPresent() ? p.ifVersion(expected.getAsLong()) : p;
            t = update(twins, id, checked);
            if (expected.isPresent()) {
                expected = OptionalLong.of(t.version());
            }
            tags |= p.section() == TwinSection.TAGS;
        }
        if (tags) {
            deployments.applyAll();
            t = twins.get(id).orElse(t);
        }
        return t;
    }

    /** One twin change; a section over IoT Hub's limits is refused naming the section as the field. */
    private static Twin update(TwinService twins, TwinId id, TwinPatch patch) {
        try {
            return twins.update(id, patch);
        } catch (OutpostException e) {
            if (e.errorCode() == CloudErrorCode.TWIN_TOO_LARGE) {
                throw new FieldException(CloudErrorCode.TWIN_TOO_LARGE, patch.section().path(), e.getMessage(), e);
            }
            throw e;
        }
    }

    /** {@code If-Match: "3"}, {@code 3} or {@code *} (any version). */
    static OptionalLong ifMatch(String header) {
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return OptionalLong.empty();
        }
        String v = header.strip();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        try {
            return OptionalLong.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new FieldException("If-Match", "If-Match must be a twin's ETag (\"3\") or *, got " + header);
        }
    }

    // ---- deployments

    private Route.Reply listDeployments() {
        ArrayNode a = Json.MAPPER.createArrayNode();
        deployments.list().forEach(d -> a.add(deploymentSummary(d)));
        return Route.Reply.ok(a);
    }

    private Route.Reply createDeployment(Route.Call c) {
        JsonNode body = c.json();
        FleetDeployment created = createDeployment(deployments, body, Map.of());
        return Route.Reply.created("/api/v1/deployments/" + encode(created.id()), deploymentDetail(created));
    }

    /** Creates a deployment from its JSON document; errors name the field (the condition's also its column). */
    public static FleetDeployment createDeployment(FleetDeploymentService deployments, JsonNode body,
            Map<String, Object> overrides) {
        FleetDeployment d = Requests.deployment(body, overrides);
        try {
            return deployments.create(d);
        } catch (TargetConditionException e) {
            throw e;
        } catch (OutpostException e) {
            if (e.errorCode() == CloudErrorCode.DEPLOYMENT_INVALID) {
                throw new FieldException(e.errorCode(), Requests.contentField(body), e.getMessage(), e);
            }
            if (e.errorCode() == CloudErrorCode.ALREADY_EXISTS) {
                throw new FieldException(e.errorCode(), "id", e.getMessage(), e);
            }
            throw e;
        }
    }

    private Route.Reply showDeployment(Route.Call c) {
        String id = c.param("deploymentId");
        FleetDeployment d = deployments.get(id).orElseThrow(() -> notFound("deployment", id));
        return Route.Reply.ok(forScope(c, deploymentDetail(d)));
    }

    private ObjectNode deploymentDetail(FleetDeployment d) {
        ObjectNode v = Views.deployment(d, true);
        v.set("metrics", Views.metrics(deployments.metrics(d.id())));
        v.set("devices", Views.statuses(deployments.deviceStatuses(d.id())));
        return v;
    }

    private Route.Reply deleteDeployment(Route.Call c) {
        if (!deployments.delete(c.param("deploymentId"))) {
            throw notFound("deployment", c.param("deploymentId"));
        }
        return Route.Reply.noContent();
    }

    // ---- direct methods

    /** Default and largest {@code responseTimeoutInSeconds}, as IoT Hub has them. */
    static final int DEFAULT_METHOD_TIMEOUT = 30;
    static final int MAX_METHOD_TIMEOUT = 300;

    /**
     * IoT Hub's direct-method call: {@code {"methodName", "payload", "responseTimeoutInSeconds"}}; answers
     * {@code {"status", "payload"}}, 404 when the target is not connected or not subscribed to methods, 504 when it
     * did not answer in time.
     */
    private Route.Reply invokeMethod(Route.Call c, TwinId target) {
        ObjectNode body = Requests.object(c.json(), "");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!Set.of("methodName", "payload", "responseTimeoutInSeconds", "connectTimeoutInSeconds").contains(name)) {
                throw new FieldException(name, "unknown field '" + name + "'; expected one of methodName, payload, "
                        + "responseTimeoutInSeconds, connectTimeoutInSeconds");
            }
        }
        JsonNode name = body.path("methodName");
        if (!name.isTextual() || name.asText().isEmpty() || name.asText().length() > 128
                || name.asText().contains("/")) {
            throw new FieldException("methodName", "methodName must be 1 to 128 characters without '/'");
        }
        JsonNode timeout = body.path("responseTimeoutInSeconds");
        int secs = DEFAULT_METHOD_TIMEOUT;
        if (!timeout.isMissingNode()) {
            if (!timeout.canConvertToInt() || !timeout.isIntegralNumber() || timeout.asInt() < 1
                    || timeout.asInt() > MAX_METHOD_TIMEOUT) {
                throw new FieldException("responseTimeoutInSeconds", "responseTimeoutInSeconds must be a whole number "
                        + "from 1 to " + MAX_METHOD_TIMEOUT + ", got " + timeout);
            }
            secs = timeout.asInt();
        }
        CloudMessaging endpoint = messaging.get();
        if (endpoint == null) {
            throw new ApiException(503, "api-endpoint-unavailable", null, "the cloud's device endpoint is not running");
        }
        String payload = body.has("payload") ? body.get("payload").toString() : "null";
        MethodResponse answer;
        try {
            answer = endpoint.invokeMethod(target, name.asText(), payload, Duration.ofSeconds(secs))
                    .toCompletableFuture().get(secs + 10L, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            answer = new MethodResponse(504, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        LOG.info("api-method-invoked target={} method={} status={}", target, name.asText(), answer.status());
        if (answer.status() == 404) {
            throw new ApiException(404, CloudErrorCode.NOT_FOUND.code(), null, target
                    + " is not connected or not subscribed to direct methods");
        }
        if (answer.status() == 504) {
            throw new ApiException(504, "api-method-timeout", null, target + " did not answer method '"
                    + name.asText() + "' within " + secs + " s");
        }
        if (answer.status() == 429) {
            throw new ApiException(429, "api-too-many-calls", null, "too many method calls wait for " + target);
        }
        ObjectNode out = Json.object();
        out.put("status", answer.status());
        out.set("payload", parsePayload(answer.payload()));
        return Route.Reply.ok(out);
    }

    /**
     * A cloud-to-device message, {@code {"body", "properties"?, "messageId"?, "correlationId"?, "contentType"?,
     * "contentEncoding"?, "ttlSeconds"?}}: queued durably in the device's queue and answered 202 with its messageId
     * and expiry at once (as IoT Hub does); the device gets it on {@code devices/<d>/messages/devicebound/<bag>}
     * when it is connected and subscribed. 404 for an unknown device, 403 {@code cloud-queue-full} when its queue
     * is full, 400 naming the field for bad input.
     */
    private Route.Reply sendMessage(Route.Call c) {
        Device d = device(c);
        CloudToDeviceMessage message = Requests.c2dMessage(c.json());
        C2dEntry queued = join(endpoint().sendToDevice(d.id(), message));
        LOG.info("api-c2d-queued device={} messageId={} bytes={} properties={} state={}", d.id(),
                queued.message().messageId(), message.body().length, message.properties().size(),
                queued.state().label());
        ObjectNode out = Json.object();
        out.put("deviceId", d.id());
        out.put("messageId", queued.message().messageId());
        out.put("state", queued.state().label());
        out.put("enqueuedTimeUtc", queued.enqueuedAt().toString());
        out.put("expiryTimeUtc", queued.expiresAt().toString());
        return new Route.Reply(202, out, Map.of());
    }

    /** The device's queue: counts per state and the messages kept (queued ones and finished ones of the last 48 h). */
    private Route.Reply listMessages(Route.Call c) {
        Device d = device(c);
        List<C2dEntry> entries = endpoint().deviceMessages(d.id());
        ObjectNode out = Json.object();
        out.put("deviceId", d.id());
        ObjectNode counts = out.putObject("counts");
        for (C2dState s : C2dState.values()) {
            counts.put(s.label(), entries.stream().filter(e -> e.state() == s).count());
        }
        ArrayNode list = out.putArray("messages");
        entries.forEach(e -> list.add(Views.c2d(e)));
        return Route.Reply.ok(out);
    }

    /** Purges the device's queued messages: they are never delivered. */
    private Route.Reply purgeMessages(Route.Call c) {
        Device d = device(c);
        int purged = endpoint().purgeDeviceMessages(d.id());
        LOG.info("api-c2d-purged device={} count={}", d.id(), purged);
        ObjectNode out = Json.object();
        out.put("deviceId", d.id());
        out.put("purged", purged);
        return Route.Reply.ok(out);
    }

    private CloudMessaging endpoint() {
        CloudMessaging endpoint = messaging.get();
        if (endpoint == null) {
            throw new ApiException(503, "api-endpoint-unavailable", null, "the cloud's device endpoint is not running");
        }
        return endpoint;
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(C2D_QUEUE_WAIT_SECS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new ApiException(503, "api-store-timeout", null, "the message was not queued within "
                    + C2D_QUEUE_WAIT_SECS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Longest wait for the store to queue a message. */
    static final int C2D_QUEUE_WAIT_SECS = 30;

    private static JsonNode parsePayload(String payload) {
        if (payload == null || payload.isBlank()) {
            return Json.MAPPER.nullNode();
        }
        try {
            return Json.MAPPER.readTree(payload);
        } catch (java.io.IOException e) {
            return Json.MAPPER.getNodeFactory().textNode(payload);
        }
    }

    // ----

    static OutpostException notFound(String what, String id) {
        return new OutpostException(CloudErrorCode.NOT_FOUND, "no " + what + " '" + id + "'");
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The templates and methods, for the OpenAPI check. */
    Map<String, List<String>> operations() {
        Map<String, List<String>> ops = new LinkedHashMap<>();
        for (Route r : routes) {
            ops.computeIfAbsent(r.template(), k -> new java.util.ArrayList<>()).add(r.method());
        }
        return ops;
    }
}
