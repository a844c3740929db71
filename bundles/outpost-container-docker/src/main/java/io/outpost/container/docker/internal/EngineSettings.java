package io.outpost.container.docker.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The validated settings of the Docker engine client.
 *
 * @param dockerHost         {@code unix:///path/to/docker.sock} or {@code tcp://host:port}
 * @param apiVersion         the Engine API version to speak ({@code 1.41}); empty means the engine's own
 * @param connectTimeout     how long to wait for a connection to the engine
 * @param responseTimeout    how long a short call (inspect, create, start, list) may wait for an answer
 * @param pullTimeout        how long an image pull may take
 * @param defaultNetworkMode {@code HostConfig.NetworkMode} for containers whose createOptions set none, or the
 *                           name of a network made ready by {@link ModuleNetwork}; empty leaves the engine's
 *                           default
 */
record EngineSettings(URI dockerHost, String apiVersion, Duration connectTimeout, Duration responseTimeout,
        Duration pullTimeout, String defaultNetworkMode) {

    EngineSettings {
        Objects.requireNonNull(dockerHost, "dockerHost");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(defaultNetworkMode, "defaultNetworkMode");
        String scheme = dockerHost.getScheme();
        if (!"unix".equals(scheme) && !"tcp".equals(scheme)) {
            throw new IllegalArgumentException("dockerHost must start with unix:// or tcp://, was '" + dockerHost + "'");
        }
        if (!apiVersion.isEmpty() && !apiVersion.matches("1\\.\\d{1,3}")) {
            throw new IllegalArgumentException("apiVersion must look like 1.41 or be empty, was '" + apiVersion + "'");
        }
        requirePositive(connectTimeout, "connectTimeoutMillis");
        requirePositive(responseTimeout, "responseTimeoutSeconds");
        requirePositive(pullTimeout, "pullTimeoutSeconds");
    }

    static EngineSettings from(DockerContainerEngine.Config config) {
        URI host;
        try {
            host = URI.create(config.dockerHost().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dockerHost is not a URI: '" + config.dockerHost() + "'", e);
        }
        return new EngineSettings(host, config.apiVersion().trim(), Duration.ofMillis(config.connectTimeoutMillis()),
                Duration.ofSeconds(config.responseTimeoutSeconds()), Duration.ofSeconds(config.pullTimeoutSeconds()),
                config.defaultNetworkMode().trim());
    }

    /** Settings for the given host with the defaults of {@link DockerContainerEngine.Config}. */
    static EngineSettings defaults(URI dockerHost) {
        return new EngineSettings(dockerHost, "", Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofMinutes(10), "");
    }

    EngineSettings withDefaultNetworkMode(String networkMode) {
        return new EngineSettings(dockerHost, apiVersion, connectTimeout, responseTimeout, pullTimeout, networkMode);
    }

    private static void requirePositive(Duration value, String property) {
        Objects.requireNonNull(value, property);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be > 0, was " + value);
        }
    }
}
