package io.outpost.iothub;

import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a {@link DialectServer} listens and what it bounds. Start from {@link #defaults()} and change with the
 * {@code with...} methods; every value is checked with a message naming the setting.
 *
 * @param host               address the TLS listener binds to
 * @param tlsPort            MQTT over TLS port; 0: no TLS listener
 * @param plainPort          plain-text MQTT port, always bound to 127.0.0.1 only; 0: none
 * @param serverKeyStore     the server certificate for a password: a PKCS12 key store holding one key entry
 *                           with its chain; needed when {@code tlsPort != 0}. Asked again by
 *                           {@link DialectServer#reloadCertificate()} and every {@code certificateCheckInterval}
 * @param maxPacketBytes     largest MQTT packet accepted (IoT Hub: 256 KiB); a larger one closes the connection
 * @param connectTimeout     time from TCP accept to a valid CONNECT (TLS handshake included)
 * @param maxInflightIn      QoS 1 PUBLISHes of one client being processed; beyond it the server stops reading
 *                           from that client until one completes (MQTT 5: the Receive Maximum it announces)
 * @param maxInflightOut     deliveries to one client awaiting its PUBACK (fewer when the client's MQTT 5 Receive
 *                           Maximum is lower); as many again wait, in order, for room; beyond that a delivery
 *                           fails with 429
 * @param maxPendingMethods  direct method calls awaiting one client's answer; beyond it a call answers 429
 * @param deliveryTimeout    how long a delivery waits for its PUBACK before failing with 504
 * @param maxConnections     connections served at once; more are closed on accept
 * @param certificateCheckInterval how often the server certificate is asked for again to pick up a renewal
 * @param ioThreads          network threads
 * @param maxConnectionsPerAddress connections served at once from one remote address (an IPv6 address counts by
 *                           its /64 prefix), authenticated or not; more from that address are closed on accept
 * @param maxConnectPacketBytes largest packet accepted before the CONNACK (the CONNECT itself: a SAS token needs a
 *                           few hundred bytes); a larger one closes the connection. At most {@code maxPacketBytes}
 *                           applies
 * @param maxPendingAuthentications CONNECTs whose authentication by the host is under way at once; a CONNECT
 *                           beyond is refused with CONNACK "server unavailable"
 * @param busyUnauthenticated connections awaiting their CONNECT or its authentication above which a new connection
 *                           gets {@code busyConnectTimeout} instead of {@code connectTimeout}
 * @param busyConnectTimeout time from TCP accept to a valid CONNECT while the server is busy as above (at most
 *                           {@code connectTimeout} applies)
 */
public record DialectSettings(String host, int tlsPort, int plainPort,
        Optional<Function<char[], KeyStore>> serverKeyStore, int maxPacketBytes, Duration connectTimeout,
        int maxInflightIn, int maxInflightOut, int maxPendingMethods, Duration deliveryTimeout, int maxConnections,
        Duration certificateCheckInterval, int ioThreads, int maxConnectionsPerAddress, int maxConnectPacketBytes,
        int maxPendingAuthentications, int busyUnauthenticated, Duration busyConnectTimeout) {

    /** The only address a plain-text listener binds to. */
    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_MAX_PACKET_BYTES = 256 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;
    public static final int DEFAULT_MAX_CONNECT_PACKET_BYTES = 8 * 1024;
    public static final int DEFAULT_MAX_PENDING_AUTHENTICATIONS = 64;
    public static final int DEFAULT_BUSY_UNAUTHENTICATED = 128;
    public static final Duration DEFAULT_BUSY_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /** The settings of release 1.0, every limit added since at its default. */
    public DialectSettings(String host, int tlsPort, int plainPort,
            Optional<Function<char[], KeyStore>> serverKeyStore, int maxPacketBytes, Duration connectTimeout,
            int maxInflightIn, int maxInflightOut, int maxPendingMethods, Duration deliveryTimeout,
            int maxConnections, Duration certificateCheckInterval, int ioThreads) {
        this(host, tlsPort, plainPort, serverKeyStore, maxPacketBytes, connectTimeout, maxInflightIn, maxInflightOut,
                maxPendingMethods, deliveryTimeout, maxConnections, certificateCheckInterval, ioThreads,
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_MAX_CONNECT_PACKET_BYTES,
                DEFAULT_MAX_PENDING_AUTHENTICATIONS, DEFAULT_BUSY_UNAUTHENTICATED, DEFAULT_BUSY_CONNECT_TIMEOUT);
    }

    public DialectSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        host = host.trim();
        checkPort(tlsPort, "tlsPort");
        checkPort(plainPort, "plainPort");
        if (tlsPort != 0 && tlsPort == plainPort) {
            throw new IllegalArgumentException("tlsPort and plainPort must differ: " + tlsPort);
        }
        Objects.requireNonNull(serverKeyStore, "serverKeyStore");
        if (tlsPort != 0 && serverKeyStore.isEmpty()) {
            throw new IllegalArgumentException("serverKeyStore is needed for the TLS listener (tlsPort " + tlsPort + ")");
        }
        atLeast(maxPacketBytes, 1024, "maxPacketBytes");
        if (maxPacketBytes > 268_435_455) {
            throw new IllegalArgumentException("maxPacketBytes must be at most 268435455 (MQTT's limit): "
                    + maxPacketBytes);
        }
        positive(connectTimeout, "connectTimeout");
        atLeast(maxInflightIn, 1, "maxInflightIn");
        if (maxInflightIn > 65_535) {
            throw new IllegalArgumentException("maxInflightIn must be at most 65535: " + maxInflightIn);
        }
        atLeast(maxInflightOut, 1, "maxInflightOut");
        if (maxInflightOut > 65_535) {
            throw new IllegalArgumentException("maxInflightOut must be at most 65535: " + maxInflightOut);
        }
        atLeast(maxPendingMethods, 1, "maxPendingMethods");
        positive(deliveryTimeout, "deliveryTimeout");
        atLeast(maxConnections, 1, "maxConnections");
        positive(certificateCheckInterval, "certificateCheckInterval");
        atLeast(ioThreads, 1, "ioThreads");
        atLeast(maxConnectionsPerAddress, 1, "maxConnectionsPerAddress");
        atLeast(maxConnectPacketBytes, 512, "maxConnectPacketBytes");
        atLeast(maxPendingAuthentications, 1, "maxPendingAuthentications");
        atLeast(busyUnauthenticated, 1, "busyUnauthenticated");
        positive(busyConnectTimeout, "busyConnectTimeout");
    }

    /** TLS on 127.0.0.1:8883 (needs a key store), no plain listener, IoT Hub's limits. */
    public static DialectSettings defaults() {
        return new DialectSettings(LOOPBACK, 0, 0, Optional.empty(), DEFAULT_MAX_PACKET_BYTES,
                Duration.ofSeconds(10), 16, 16, 16, Duration.ofSeconds(60), 1000, Duration.ofHours(1), 2);
    }

    public DialectSettings withTls(String host, int tlsPort, Function<char[], KeyStore> serverKeyStore) {
        return new DialectSettings(host, tlsPort, plainPort, Optional.of(serverKeyStore), maxPacketBytes,
                connectTimeout, maxInflightIn, maxInflightOut, maxPendingMethods, deliveryTimeout, maxConnections,
                certificateCheckInterval, ioThreads, maxConnectionsPerAddress,
                maxConnectPacketBytes, maxPendingAuthentications, busyUnauthenticated, busyConnectTimeout);
    }

    public DialectSettings withPlainPort(int plainPort) {
        return new DialectSettings(host, tlsPort, plainPort, serverKeyStore, maxPacketBytes, connectTimeout,
                maxInflightIn, maxInflightOut, maxPendingMethods, deliveryTimeout, maxConnections,
                certificateCheckInterval, ioThreads, maxConnectionsPerAddress,
                maxConnectPacketBytes, maxPendingAuthentications, busyUnauthenticated, busyConnectTimeout);
    }

    public DialectSettings withMaxPacketBytes(int maxPacketBytes) {
        return new DialectSettings(host, tlsPort, plainPort, serverKeyStore, maxPacketBytes, connectTimeout,
                maxInflightIn, maxInflightOut, maxPendingMethods, deliveryTimeout, maxConnections,
                certificateCheckInterval, ioThreads, maxConnectionsPerAddress,
                maxConnectPacketBytes, maxPendingAuthentications, busyUnauthenticated, busyConnectTimeout);
    }

    public DialectSettings withConnectTimeout(Duration connectTimeout) {
        return new DialectSettings(host, tlsPort, plainPort, serverKeyStore, maxPacketBytes, connectTimeout,
                maxInflightIn, maxInflightOut, maxPendingMethods, deliveryTimeout, maxConnections,
                certificateCheckInterval, ioThreads, maxConnectionsPerAddress,
                maxConnectPacketBytes, maxPendingAuthentications, busyUnauthenticated, busyConnectTimeout);
    }

    public DialectSettings withInflight(int maxInflightIn, int maxInflightOut, int maxPendingMethods) {
        return new DialectSettings(host, tlsPort, plainPort, serverKeyStore, maxPacketBytes, connectTimeout,
                maxInflightIn, maxInflightOut, maxPendingMethods, deliveryTimeout, maxConnections,
                certificateCheckInterval, ioThreads, maxConnectionsPerAddress,
                maxConnectPacketBytes, maxPendingAuthentications, busyUnauthenticated, busyConnectTimeout);
    }

    public DialectSettings withDeliveryTimeout(Duration deliveryTimeout) {
        return new DialectSettings(host, tlsPort, plainPort, serverKeyStore, maxPacketBytes, connectTimeout,
                maxInflightIn, maxInflightOut, maxPendingMethods, deliveryTimeout, maxConnections,
                certificateCheckInterval, ioThreads, maxConnectionsPerAddress,
                maxConnectPacketBytes, maxPendingAuthentications, busyUnauthenticated, busyConnectTimeout);
    }

    public DialectSettings withMaxConnections(int maxConnections) {
        return new DialectSettings(host, tlsPort, plainPort, serverKeyStore, maxPacketBytes, connectTimeout,
                maxInflightIn, maxInflightOut, maxPendingMethods, deliveryTimeout, maxConnections,
                certificateCheckInterval, ioThreads, maxConnectionsPerAddress,
                maxConnectPacketBytes, maxPendingAuthentications, busyUnauthenticated, busyConnectTimeout);
    }

    public DialectSettings withCertificateCheckInterval(Duration certificateCheckInterval) {
        return new DialectSettings(host, tlsPort, plainPort, serverKeyStore, maxPacketBytes, connectTimeout,
                maxInflightIn, maxInflightOut, maxPendingMethods, deliveryTimeout, maxConnections,
                certificateCheckInterval, ioThreads, maxConnectionsPerAddress,
                maxConnectPacketBytes, maxPendingAuthentications, busyUnauthenticated, busyConnectTimeout);
    }

    /**
     * The bounds on clients that have not authenticated yet; see the record's parameters of the same names.
     */
    public DialectSettings withConnectLimits(int maxConnectionsPerAddress, int maxConnectPacketBytes,
            int maxPendingAuthentications, int busyUnauthenticated, Duration busyConnectTimeout) {
        return new DialectSettings(host, tlsPort, plainPort, serverKeyStore, maxPacketBytes, connectTimeout,
                maxInflightIn, maxInflightOut, maxPendingMethods, deliveryTimeout, maxConnections,
                certificateCheckInterval, ioThreads, maxConnectionsPerAddress, maxConnectPacketBytes,
                maxPendingAuthentications, busyUnauthenticated, busyConnectTimeout);
    }

    /** The connect deadline of a new connection while {@code unauthenticated} others await theirs. */
    public Duration connectTimeout(int unauthenticated) {
        if (unauthenticated < busyUnauthenticated || busyConnectTimeout.compareTo(connectTimeout) >= 0) {
            return connectTimeout;
        }
        return busyConnectTimeout;
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0 (off) or a port number: " + port);
        }
    }

    private static void atLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
        }
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration: " + d);
        }
    }
}
