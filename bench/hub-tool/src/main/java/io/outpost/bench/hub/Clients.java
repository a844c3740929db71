package io.outpost.bench.hub;

import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Paho clients as every scenario makes them: MQTT 3.1.1, QoS 1, {@value #IN_FLIGHT} publishes in flight. */
final class Clients {

    static final int IN_FLIGHT = 16;
    static final int QOS = 1;
    private static final long TIMEOUT_MS = 30_000;

    private Clients() {
    }

    /**
     * A connected client. {@code cleanSession=false} keeps a subscription across connections (Mosquitto stores
     * the session; Outpost's hub keeps a module's messages in its input queue whatever the session).
     */
    static MqttAsyncClient connect(Target target, Target.ClientSpec spec, boolean cleanSession, MqttCallback callback)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(target.serverUri(), spec.clientId(), new MemoryPersistence());
        if (callback != null) {
            client.setCallback(callback);
        }
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setMaxInflight(IN_FLIGHT);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(60);
        options.setConnectionTimeout(30);
        if (spec.userName() != null) {
            options.setUserName(spec.userName());
        }
        if (spec.password() != null) {
            options.setPassword(spec.password().toCharArray());
        }
        try {
            client.connect(options).waitForCompletion(TIMEOUT_MS);
        } catch (MqttException e) {
            client.close(true);
            throw new MqttException(e.getReasonCode(), new IllegalStateException(target.name() + ": "
                    + spec.clientId() + " cannot connect to " + target.serverUri() + " (" + e.getMessage() + ")", e));
        }
        return client;
    }

    /** Subscribes at QoS 1 and checks that the broker granted it. */
    static void subscribe(Target target, MqttAsyncClient client, String filter) throws MqttException {
        IMqttToken token = client.subscribe(filter, QOS);
        token.waitForCompletion(TIMEOUT_MS);
        int[] granted = token.getGrantedQos();
        if (granted == null || granted.length != 1 || granted[0] > 2) {
            throw new IllegalStateException(target.name() + " refused the subscription to " + filter);
        }
    }

    /** Disconnects (waiting for the broker) and releases the client; never throws. */
    static void close(MqttAsyncClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(5_000);
            }
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to release
        }
    }
}
