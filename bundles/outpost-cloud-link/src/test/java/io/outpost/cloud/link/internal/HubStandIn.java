package io.outpost.cloud.link.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.hub.CloudToDevice;
import io.outpost.hub.MethodInvoker;
import io.outpost.hub.Twins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The edge hub's twin and method services as the link sees them, for the link's tests: module reported properties
 * set by the test, and a method call answered with what it was given ({@code silent} answers 504, as the hub does
 * when a module does not answer in time). The hub's own twin store and method calls over MQTT are tested in
 * outpost-hub ({@code HubListenerTest}).
 */
final class HubStandIn implements Twins, MethodInvoker, CloudToDevice {

    final Map<String, String> reported = new ConcurrentHashMap<>();
    /** Leaf device twins: desired set by the link, reported set by the test. */
    final Map<String, String> leafDesired = new ConcurrentHashMap<>();
    final Map<String, String> leafReported = new ConcurrentHashMap<>();
    /** Cloud-to-device messages handed over: {@code <leaf> <body> <properties>}. */
    final List<String> c2d = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final String deviceId;

    HubStandIn(String deviceId) {
        this.deviceId = deviceId;
    }

    @Override
    public Optional<String> twin(String identity) {
        if (identity.startsWith(deviceId + "/")) {
            return moduleTwin(identity.substring(deviceId.length() + 1));
        }
        if (!leafDesired.containsKey(identity) && !leafReported.containsKey(identity)) {
            return Optional.empty();
        }
        return Optional.of("{\"desired\":" + leafDesired.getOrDefault(identity, "{}") + ",\"reported\":"
                + leafReported.getOrDefault(identity, "{}") + "}");
    }

    @Override
    public OptionalLong setLeafDesired(String leaf, String desiredJson) {
        String old = leafDesired.put(leaf, desiredJson);
        return desiredJson.equals(old) ? OptionalLong.empty() : OptionalLong.of(leafDesired.size());
    }

    @Override
    public void send(String leaf, byte[] body, Map<String, String> properties) {
        c2d.add(leaf + " " + new String(body, java.nio.charset.StandardCharsets.UTF_8) + " " + properties);
    }

    @Override
    public Optional<String> moduleTwin(String moduleId) {
        return Optional.ofNullable(reported.get(moduleId))
                .map(r -> "{\"desired\":{\"$version\":1},\"reported\":" + r.replaceFirst("}\\s*$", ",\"\\$version\":2}")
                        + "}");
    }

    @Override
    public List<String> identities() {
        return reported.keySet().stream().map(m -> deviceId + "/" + m).sorted().toList();
    }

    @Override
    public MethodResponse invoke(String device, Optional<String> moduleId, String method, String payloadJson,
            Duration timeout) {
        calls.add(device + moduleId.map(m -> "/" + m).orElse("") + " " + method);
        if (method.equals("silent")) {
            return new MethodResponse(504, "{\"message\":\"no answer in time\"}");
        }
        try {
            ObjectNode answer = ReportedState.MAPPER.createObjectNode().put("method", method)
                    .put("module", moduleId.orElse(""));
            answer.set("payload", ReportedState.MAPPER.readTree(payloadJson));
            return new MethodResponse(200, answer.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
