package io.outpost.hub.internal;

import io.outpost.iothub.DialectSettings;
import java.security.KeyStore;
import java.time.Duration;
import java.util.function.Function;

/**
 * The validated settings of the hub's MQTT listener (the {@code mqtt*} settings of {@link HubConfig}, read by
 * {@link ListenerComponent}).
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
 * @param maxConnectionsPerAddress connections served at once from one remote address (modules on the host network
 *                            and leaf devices behind one NAT share one)
 * @param maxTokenLifetime    how far ahead of now a SAS token may expire; a token expiring later is refused
 */
record MqttSettings(String host, int tlsPort, int plainPort, int maxPacketBytes, Duration connectTimeout,
        Duration deliveryTimeout, int maxConnections, String hubHostName, String clientCaFile,
        int maxConnectionsPerAddress, Duration maxTokenLifetime) {

    /** The only address a plain-text listener binds to. */
    static final String LOOPBACK = DialectSettings.LOOPBACK;
    static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = DialectSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
    /** IoT Hub's SDKs renew tokens hourly; a year leaves room for long-lived tokens made by hand. */
    static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofDays(365);

    /** The settings without the limits added later, those at their defaults. */
    MqttSettings(String host, int tlsPort, int plainPort, int maxPacketBytes, Duration connectTimeout,
            Duration deliveryTimeout, int maxConnections, String hubHostName, String clientCaFile) {
        this(host, tlsPort, plainPort, maxPacketBytes, connectTimeout, deliveryTimeout, maxConnections, hubHostName,
                clientCaFile, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_MAX_TOKEN_LIFETIME);
    }

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
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("mqttMaxConnectionsPerAddress must be at least 1: "
                    + maxConnectionsPerAddress);
        }
        if (maxTokenLifetime == null || maxTokenLifetime.isNegative() || maxTokenLifetime.isZero()) {
            throw new IllegalArgumentException("mqttMaxTokenLifetimeSecs must be positive: " + maxTokenLifetime);
        }
        hubHostName = hubHostName == null ? "" : hubHostName.trim();
        clientCaFile = clientCaFile == null ? "" : clientCaFile.trim();
    }

    /** As these settings with other limits on connections from one address and on token lifetimes. */
    MqttSettings withLimits(int maxConnectionsPerAddress, Duration maxTokenLifetime) {
        return new MqttSettings(host, tlsPort, plainPort, maxPacketBytes, connectTimeout, deliveryTimeout,
                maxConnections, hubHostName, clientCaFile, maxConnectionsPerAddress, maxTokenLifetime);
    }

    /** TLS on {@code host:tlsPort} and plain text as given, every other setting at its default. */
    static MqttSettings of(String host, int tlsPort, int plainPort) {
        return new MqttSettings(host, tlsPort, plainPort, DialectSettings.DEFAULT_MAX_PACKET_BYTES,
                Duration.ofSeconds(10), Duration.ofSeconds(60), 1000, "", "");
    }

    static MqttSettings from(HubConfig config) {
        return new MqttSettings(config.mqttHost(), config.mqttTlsPort(), config.mqttPlainPort(),
                config.mqttMaxPacketBytes(), Duration.ofSeconds(config.mqttConnectTimeoutSecs()),
                Duration.ofSeconds(config.mqttDeliveryTimeoutSecs()), config.mqttMaxConnections(),
                config.mqttHubHostName(), config.mqttClientCaFile(), config.mqttMaxConnectionsPerAddress(),
                Duration.ofSeconds(config.mqttMaxTokenLifetimeSecs()));
    }

    /** The dialect server's settings; {@code keyStore} is needed for the TLS listener. */
    DialectSettings dialect(Function<char[], KeyStore> keyStore) {
        DialectSettings s = DialectSettings.defaults().withPlainPort(plainPort).withMaxPacketBytes(maxPacketBytes)
                .withConnectTimeout(connectTimeout).withDeliveryTimeout(deliveryTimeout)
                .withMaxConnections(maxConnections)
                .withConnectLimits(maxConnectionsPerAddress, DialectSettings.DEFAULT_MAX_CONNECT_PACKET_BYTES,
                        DialectSettings.DEFAULT_MAX_PENDING_AUTHENTICATIONS,
                        DialectSettings.DEFAULT_BUSY_UNAUTHENTICATED, DialectSettings.DEFAULT_BUSY_CONNECT_TIMEOUT);
        return tlsPort == 0 ? s : s.withTls(host, tlsPort, keyStore);
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0 (off) or a port number: " + port);
        }
    }
}
