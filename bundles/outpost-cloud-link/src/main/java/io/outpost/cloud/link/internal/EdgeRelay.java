package io.outpost.cloud.link.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.common.OutpostException;
import io.outpost.hub.MethodInvoker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the link relays for an identity behind the edge (a module or a leaf device) on its own cloud connection:
 * the hub's reported properties up, as a patch of what changed since the last one sent, and the cloud's direct
 * methods down to the hub's {@link MethodInvoker}, answered on the connection they came on.
 */
final class EdgeRelay {

    static final String METHODS_PREFIX = "$iothub/methods/POST/";
    /** The longest the link waits for the hub: the cloud's own timeout decides first. */
    static final Duration METHOD_TIMEOUT = Duration.ofSeconds(300);
    private static final Logger LOG = LoggerFactory.getLogger(EdgeRelay.class);

    private final TwinRequests requests;
    private final Supplier<MethodInvoker> invoker;
    private final ExecutorService methods;
    /** Per identity, the reported properties last sent (only touched on the link's work thread). */
    private final Map<String, ObjectNode> lastReported = new ConcurrentHashMap<>();

    EdgeRelay(TwinRequests requests, Supplier<MethodInvoker> invoker, ExecutorService methods) {
        this.requests = requests;
        this.invoker = invoker;
        this.methods = methods;
    }

    /** Forgets what was sent for the identity: the next {@link #report} sends all its reported properties. */
    void forget(String identity) {
        lastReported.remove(identity);
    }

    /** Sends the hub's reported properties of the identity (its twin JSON) when they differ from the last sent. */
    void report(String identity, Optional<String> hubTwin, CloudConnection connection) {
        if (hubTwin.isEmpty()) {
            return;
        }
        ObjectNode reported;
        try {
            JsonNode r = ReportedState.MAPPER.readTree(hubTwin.get()).path("reported");
            reported = r instanceof ObjectNode o ? EdgeTwins.withoutMetadata(o) : ReportedState.MAPPER.createObjectNode();
        } catch (JsonProcessingException e) {
            LOG.warn("hub-twin-unreadable identity={} error=\"{}\"", identity, e.getOriginalMessage());
            return;
        }
        ObjectNode last = lastReported.get(identity);
        if (reported.equals(last) || (last == null && reported.isEmpty())) {
            return;
        }
        ObjectNode patch = reported.deepCopy();
        if (last != null) {
            for (Iterator<String> names = last.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!reported.has(name)) {
                    patch.putNull(name);
                }
            }
        }
        try {
            requests.patchReported(connection, patch.toString());
        } catch (OutpostException e) {
            LOG.info("cloud-reported-failed identity={} error=\"{}\"", identity, e.getMessage());
            return;
        }
        lastReported.put(identity, reported);
        LOG.debug("cloud-reported identity={} properties={}", identity, reported.size());
    }

    /** A direct method from the cloud, {@code $iothub/methods/POST/<method>/?$rid=<r>}, for the identity. */
    void call(String deviceId, Optional<String> moduleId, CloudConnection connection, String topic, byte[] payload) {
        String identity = deviceId + moduleId.map(m -> "/" + m).orElse("");
        String rest = topic.substring(METHODS_PREFIX.length());
        int slash = rest.indexOf('/');
        int q = rest.indexOf("$rid=");
        if (slash <= 0 || q < 0) {
            LOG.info("cloud-method-malformed identity={} topic={}", identity, topic);
            return;
        }
        String method = rest.substring(0, slash);
        String rid = rest.substring(q + 5);
        int amp = rid.indexOf('&');
        String requestId = amp < 0 ? rid : rid.substring(0, amp);
        String body = new String(payload, StandardCharsets.UTF_8);
        try {
            methods.execute(() -> answer(connection, requestId, invoke(deviceId, moduleId, method, body)));
        } catch (RejectedExecutionException e) {
            answer(connection, requestId, new MethodInvoker.MethodResponse(429,
                    "{\"message\":\"too many method calls wait on the edge\"}"));
        }
    }

    private MethodInvoker.MethodResponse invoke(String deviceId, Optional<String> moduleId, String method,
            String body) {
        MethodInvoker hub = invoker.get();
        if (hub == null) {
            return new MethodInvoker.MethodResponse(404, "{\"message\":\"the edge hub is not running\"}");
        }
        String identity = deviceId + moduleId.map(m -> "/" + m).orElse("");
        try {
            MethodInvoker.MethodResponse r = hub.invoke(deviceId, moduleId, method, body, METHOD_TIMEOUT);
            LOG.debug("cloud-method-relayed identity={} method={} status={}", identity, method, r.status());
            return r;
        } catch (IllegalArgumentException e) {
            return new MethodInvoker.MethodResponse(400, message(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.info("cloud-method-failed identity={} method={} error=\"{}\"", identity, method, e.getMessage());
            return new MethodInvoker.MethodResponse(500, message(e.getMessage()));
        }
    }

    static String message(String text) {
        return ReportedState.MAPPER.createObjectNode().put("message", String.valueOf(text)).toString();
    }

    static void answer(CloudConnection connection, String rid, MethodInvoker.MethodResponse response) {
        String payload = response.payloadJson() == null || response.payloadJson().isEmpty() ? "null"
                : response.payloadJson();
        try {
            connection.publish("$iothub/methods/res/" + response.status() + "/?$rid=" + rid,
                    payload.getBytes(StandardCharsets.UTF_8), 0);
        } catch (MqttException e) {
            LOG.info("cloud-method-answer-lost identity={} rid={} error=\"{}\"", connection.identity(), rid,
                    CloudConnection.describe(e));
        }
    }
}
