package io.outpost.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The Eclipse Paho (MQTT 3.1.1) clients of one test: made here, closed together after the test (connected ones
 * disconnected first), with the connect options and messages the hub's tests use.
 */
public final class PahoClients implements AutoCloseable {

    private final List<MqttClient> clients = new ArrayList<>();

    /** A new client (not connected, in-memory persistence) to {@code serverUri}, closed by {@link #close()}. */
    public MqttClient create(String serverUri, String clientId) throws MqttException {
        MqttClient client = new MqttClient(serverUri, clientId, new MemoryPersistence());
        clients.add(client);
        return client;
    }

    /** MQTT 3.1.1, a clean session, no automatic reconnect, 30 s to connect; no password when it is null. */
    public static MqttConnectOptions options(String username, String password) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(30);
        options.setUserName(username);
        if (password != null) {
            options.setPassword(password.toCharArray());
        }
        return options;
    }

    /** A QoS 1 message with the body in UTF-8. */
    public static MqttMessage qos1(String body) {
        MqttMessage m = new MqttMessage(body.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        return m;
    }

    /** Disconnects (at once) the connected clients and closes every client made here. */
    @Override
    public void close() throws MqttException {
        for (MqttClient c : clients) {
            if (c.isConnected()) {
                c.disconnectForcibly(100, 1000);
            }
            c.close(true);
        }
        clients.clear();
    }
}
