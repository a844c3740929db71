package io.outpost.hub.internal;

import io.outpost.iothub.DialectSettings;
import java.security.KeyStore;
import java.time.Duration;
import java.util.function.Function;

/**
 * The validated settings of the hub's MQTT listener (the {@code mqtt*} settings of {@link MessageStoreComponent}).
 *
 * @param host                address the TLS listener binds to
 * @param tlsPort             the TLS port; 0: no TLS listener
 * @param plainPort           the plain-text port, bound to 127.0.0.1 only; 0: no plain listener
 * @param maxPacketBytes      largest MQTT packet accepted
 * @param connectTimeout      time from accept to a valid CONNECT
 * @param deliveryTimeout     how long a delivery to a module waits for its PUBACK
 * @param maxConnections      connections served at once
 * @param hubHostName         the hub name clients must use (user name, token resource); empty: the name modules
 *                            are told ({@code IOTEDGE_IOTHUBHOSTNAME}) when the security services are there
 * @param clientCaFile        PEM file of extra CAs that may issue leaf device certificates (besides the edge CA)
 */
record MqttSettings(String host, int tlsPort, int plainPort, int maxPacketBytes, Duration connectTimeout,
        Duration deliveryTimeout, int maxConnections, String hubHostName, String clientCaFile) {

    /** The only address a plain-text listener binds to. */
    static final String LOOPBACK = DialectSettings.LOOPBACK;

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
        if (maxPacketBytes < 1024 || maxPacketBytes > 268_435_455) {
            throw new IllegalArgumentException("mqttMaxPacketBytes must be 1024..268435455: " + maxPacketBytes);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("mqttConnectTimeoutSecs must be positive: " + connectTimeout);
        }
        if (deliveryTimeout.isNegative() || deliveryTimeout.isZero()) {
            throw new IllegalArgumentException("mqttDeliveryTimeoutSecs must be positive: " + deliveryTimeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("mqttMaxConnections must be at least 1: " + maxConnections);
        }
        hubHostName = hubHostName == null ? "" : hubHostName.trim();
        clientCaFile = clientCaFile == null ? "" : clientCaFile.trim();
    }

    /** TLS on {@code host:tlsPort} and plain text as given, every other setting at its default. */
    static MqttSettings of(String host, int tlsPort, int plainPort) {
        return new MqttSettings(host, tlsPort, plainPort, DialectSettings.DEFAULT_MAX_PACKET_BYTES,
                Duration.ofSeconds(10), Duration.ofSeconds(60), 1000, "", "");
    }

    static MqttSettings from(MessageStoreComponent.Config config) {
        return new MqttSettings(config.mqttHost(), config.mqttTlsPort(), config.mqttPlainPort(),
                config.mqttMaxPacketBytes(), Duration.ofSeconds(config.mqttConnectTimeoutSecs()),
                Duration.ofSeconds(config.mqttDeliveryTimeoutSecs()), config.mqttMaxConnections(),
                config.mqttHubHostName(), config.mqttClientCaFile());
    }

    /** The dialect server's settings; {@code keyStore} is needed for the TLS listener. */
    DialectSettings dialect(Function<char[], KeyStore> keyStore) {
        DialectSettings s = DialectSettings.defaults().withPlainPort(plainPort).withMaxPacketBytes(maxPacketBytes)
                .withConnectTimeout(connectTimeout).withDeliveryTimeout(deliveryTimeout)
                .withMaxConnections(maxConnections);
        return tlsPort == 0 ? s : s.withTls(host, tlsPort, keyStore);
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0 (off) or a port number: " + port);
        }
    }
}
