package io.outpost.cloud.endpoint.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The device endpoint's validated settings.
 *
 * @param host            address the TLS listener binds to
 * @param tlsPort         MQTT over TLS port
 * @param hostnames       names and addresses the server certificate names
 * @param hubHostName     the host name SAS tokens must be issued for ({@code sr=<hubHostName>/devices/...}); empty:
 *                        the hub the client's user name names
 * @param dataDir         where the cloud CA, the server certificate and the trust bundle are kept
 * @param trustBundleFile the CA certificate (PEM) edges trust, written on start
 * @param desiredPoll     how often the desired properties of connected identities are compared with the store
 * @param fleetApply      how often fleet deployments are applied again (tag and reported-property changes)
 * @param touchEvery      last activity is written at most this often per device
 * @param dbThreads       threads that run store operations for the network threads
 * @param maxConnections  connections served at once
 * @param maxTokenLifetime how far ahead of now a SAS token may expire
 */
record EndpointSettings(String host, int tlsPort, List<String> hostnames, String hubHostName, Path dataDir,
        Path trustBundleFile, Duration desiredPoll, Duration fleetApply, Duration touchEvery, int dbThreads,
        int maxConnections, Duration maxTokenLifetime) {

    EndpointSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (tlsPort < 1 || tlsPort > 65535) {
            throw new IllegalArgumentException("tlsPort must be a port number (1-65535): " + tlsPort);
        }
        hostnames = List.copyOf(hostnames);
        if (hostnames.isEmpty()) {
            throw new IllegalArgumentException("hostnames must name at least one host");
        }
        Objects.requireNonNull(hubHostName, "hubHostName");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(trustBundleFile, "trustBundleFile");
        positive(desiredPoll, "desiredPollMs");
        positive(fleetApply, "fleetApplySecs");
        positive(touchEvery, "touchSecs");
        positive(maxTokenLifetime, "maxTokenLifetimeSecs");
        if (dbThreads < 1) {
            throw new IllegalArgumentException("dbThreads must be at least 1: " + dbThreads);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** Settings for a test: the TLS port given (0 is not allowed here, tests pick a free one), fast polling. */
    static EndpointSettings forTest(Path dir, int port) {
        return new EndpointSettings("127.0.0.1", port, List.of("localhost", "127.0.0.1"), "", dir,
                dir.resolve("trust-bundle.pem"), Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(1),
                2, 100, Authenticator.DEFAULT_MAX_TOKEN_LIFETIME);
    }
}
