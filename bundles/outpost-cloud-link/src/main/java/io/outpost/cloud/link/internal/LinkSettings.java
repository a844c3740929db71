package io.outpost.cloud.link.internal;

import io.outpost.common.Backoff;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The cloud link's validated settings.
 *
 * @param connection      the device's identity and key
 * @param cloudHost       where the cloud's device endpoint listens
 * @param cloudPort       its MQTT over TLS port
 * @param trustBundleFile the cloud CA certificate(s), PEM
 * @param tokenTtl        lifetime of the SAS tokens the link signs; it reconnects with a new one at 80% of it
 * @param backoff         waits between connection attempts (each randomized to between half and all of it)
 * @param publishTimeout  how long a message waits for the cloud's PUBACK, and a twin request for its answer
 * @param reportInterval  how often the agent's state is compared with what was last reported
 * @param keepAlive       MQTT keep-alive
 * @param clientCertificate with {@code auth = x509}: the device certificate and key files (the connection string
 *                        has no key then); empty: SAS tokens signed with the connection string's key
 * @param maxMessageBytes the largest upstream message the cloud takes, counted as sent: the MQTT PUBLISH after its
 *                        fixed header (topic with its property bag, packet id, body); a larger one is refused as
 *                        invalid (dead-lettered by the hub) instead of being sent
 */
record LinkSettings(ConnectionString connection, String cloudHost, int cloudPort, Path trustBundleFile,
        Duration tokenTtl, Backoff backoff, Duration publishTimeout, Duration reportInterval, Duration keepAlive,
        Optional<ClientCertificate> clientCertificate, int maxMessageBytes) {

    /** IoT Hub's limit: 256 KiB. */
    static final int DEFAULT_MAX_MESSAGE_BYTES = 262_144;
    /** MQTT's largest packet (its remaining length). */
    static final int MQTT_MAX_PACKET_BYTES = 268_435_455;

    /** SAS authentication, IoT Hub's message size limit. */
    LinkSettings(ConnectionString connection, String cloudHost, int cloudPort, Path trustBundleFile, Duration tokenTtl,
            Backoff backoff, Duration publishTimeout, Duration reportInterval, Duration keepAlive) {
        this(connection, cloudHost, cloudPort, trustBundleFile, tokenTtl, backoff, publishTimeout, reportInterval,
                keepAlive, Optional.empty(), DEFAULT_MAX_MESSAGE_BYTES);
    }

    LinkSettings {
        Objects.requireNonNull(connection, "connectionString");
        Objects.requireNonNull(clientCertificate, "clientCertificate");
        if (connection.x509() != clientCertificate.isPresent()) {
            throw new IllegalArgumentException(connection.x509()
                    ? "connectionString: SharedAccessKey is missing (auth = sas)"
                    : "connectionString: SharedAccessKey is not used with auth = x509; remove it");
        }
        if (cloudHost == null || cloudHost.isBlank()) {
            throw new IllegalArgumentException("cloudHost must not be empty");
        }
        if (cloudPort < 1 || cloudPort > 65535) {
            throw new IllegalArgumentException("cloudPort must be a port number (1-65535): " + cloudPort);
        }
        Objects.requireNonNull(trustBundleFile, "trustBundleFile");
        atLeast(tokenTtl, Duration.ofMinutes(1), "tokenTtlMinutes");
        Objects.requireNonNull(backoff, "backoff");
        atLeast(publishTimeout, Duration.ofSeconds(1), "publishTimeoutSecs");
        atLeast(reportInterval, Duration.ofMillis(100), "reportIntervalSecs");
        atLeast(keepAlive, Duration.ofSeconds(5), "keepAliveSecs");
        if (maxMessageBytes < 1024 || maxMessageBytes > MQTT_MAX_PACKET_BYTES) {
            throw new IllegalArgumentException("maxMessageBytes must be 1024.." + MQTT_MAX_PACKET_BYTES + ": "
                    + maxMessageBytes);
        }
    }

    /** The same settings with another message size limit. */
    LinkSettings withMaxMessageBytes(int bytes) {
        return new LinkSettings(connection, cloudHost, cloudPort, trustBundleFile, tokenTtl, backoff, publishTimeout,
                reportInterval, keepAlive, clientCertificate, bytes);
    }

    private static void atLeast(Duration d, Duration min, String name) {
        if (d == null || d.compareTo(min) < 0) {
            throw new IllegalArgumentException(name + " must be at least " + min + ": " + d);
        }
    }

    boolean x509() {
        return clientCertificate.isPresent();
    }

    String serverUri() {
        return "ssl://" + cloudHost + ":" + cloudPort;
    }

    String target() {
        return cloudHost + ":" + cloudPort + " as " + connection.deviceId();
    }
}
