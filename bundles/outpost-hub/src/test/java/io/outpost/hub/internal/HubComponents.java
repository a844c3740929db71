package io.outpost.hub.internal;

import io.outpost.deployment.DesiredState;
import io.outpost.hub.ClientConnection;
import io.outpost.hub.MethodInvoker;
import io.outpost.iothub.DialectServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The hub's listener, twins and cloud-to-device components over parts made outside OSGi, wired to each other as
 * Declarative Services wires them (the twins and the calls reach the server through the listener).
 */
final class HubComponents {

    final ListenerComponent listener;
    final TwinsComponent twins;
    final CloudToDeviceComponent calls;

    HubComponents(DialectServer server, ThreadPoolExecutor worker, EdgeTwins edgeTwins, String deviceId) {
        this.listener = new ListenerComponent(server, worker, Duration.ofSeconds(60));
        this.twins = new TwinsComponent(edgeTwins, deviceId, listener);
        this.calls = new CloudToDeviceComponent(listener);
    }

    void deactivate() {
        twins.deactivate();
        listener.deactivate();
    }

    List<ClientConnection> list() {
        return listener.list();
    }

    void applyDesired(Map<String, String> desired, String version) {
        twins.applyDesired(desired, version);
    }

    void deploymentChanged(DesiredState running) {
        twins.deploymentChanged(running);
    }

    Optional<String> twin(String identity) {
        return twins.twin(identity);
    }

    Optional<String> moduleTwin(String moduleId) {
        return twins.moduleTwin(moduleId);
    }

    List<String> identities() {
        return twins.identities();
    }

    OptionalLong setLeafDesired(String deviceId, String desiredJson) {
        return twins.setLeafDesired(deviceId, desiredJson);
    }

    void send(String deviceId, byte[] body, Map<String, String> properties) {
        calls.send(deviceId, body, properties);
    }

    MethodInvoker.MethodResponse invoke(String deviceId, Optional<String> moduleId, String method, String payload,
            Duration timeout) {
        return calls.invoke(deviceId, moduleId, method, payload, timeout);
    }
}
