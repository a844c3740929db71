package io.outpost.hub.internal;

/**
 * The validated settings of the hub's MQTT listeners.
 *
 * @param host      the address the TLS listener binds to
 * @param tlsPort   the TLS port; 0: no TLS listener
 * @param plainPort the plain-text port, bound to 127.0.0.1 only; 0: no plain listener
 */
record MqttSettings(String host, int tlsPort, int plainPort) {

    /** The only address a plain-text listener binds to. */
    static final String LOOPBACK = "127.0.0.1";

    MqttSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("mqttHost must not be empty");
        }
        host = host.trim();
        checkPort(tlsPort, "mqttTlsPort");
        checkPort(plainPort, "mqttPlainPort");
        if (tlsPort != 0 && tlsPort == plainPort) {
            throw new IllegalArgumentException("mqttTlsPort and mqttPlainPort must differ: " + tlsPort);
        }
    }

    static MqttSettings from(MessageStoreComponent.Config config) {
        return new MqttSettings(config.mqttHost(), config.mqttTlsPort(), config.mqttPlainPort());
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0 (off) or a port number: " + port);
        }
    }
}
