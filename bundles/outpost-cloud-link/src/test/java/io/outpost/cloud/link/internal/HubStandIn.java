package io.outpost.cloud.link.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.hub.MethodInvoker;
import io.outpost.hub.Twins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The edge hub's twin and method services as the link sees them, for the link's tests: module reported properties
 * set by the test, and a method call answered with what it was given ({@code silent} answers 504, as the hub does
 * when a module does not answer in time). The hub's own twin store and method calls over MQTT are tested in
 * outpost-hub ({@code HubListenerTest}).
 */
final class HubStandIn implements Twins, MethodInvoker {

    final Map<String, String> reported = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final String deviceId;

    HubStandIn(String deviceId) {
        this.deviceId = deviceId;
    }

    @Override
    public Optional<String> twin(String identity) {
        return identity.startsWith(deviceId + "/") ? moduleTwin(identity.substring(deviceId.length() + 1))
                : Optional.empty();
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
