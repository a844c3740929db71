package io.outpost.container.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The docker-java clients of one engine: {@link #calls()} for short calls, bounded by the response timeout,
 * and {@link #streams()} for calls that may stay quiet for long (log and event streams, pulls, stops with a
 * grace period), which have no read timeout. {@link #http()} is the transport behind {@link #calls()}.
 */
final class DockerClients implements AutoCloseable {

    private final DockerClientConfig config;
    private final DockerHttpClient callsHttp;
    private final DockerHttpClient streamsHttp;
    private final DockerClient calls;
    private final DockerClient streams;

    private DockerClients(EngineSettings settings) {
        this.config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(settings.dockerHost().toString())
                .withDockerTlsVerify(false)
                .withApiVersion(settings.apiVersion())
                .build();
        this.callsHttp = http(settings.connectTimeout(), settings.responseTimeout());
        this.streamsHttp = http(settings.connectTimeout(), null);
        this.calls = DockerClientImpl.getInstance(config, callsHttp);
        this.streams = DockerClientImpl.getInstance(config, streamsHttp);
    }

    /** Builds the clients; docker-java is loaded with this bundle's class loader as context loader. */
    static DockerClients open(EngineSettings settings) {
        return BundleContext.call(() -> new DockerClients(settings));
    }

    DockerClient calls() {
        return calls;
    }

    DockerClient streams() {
        return streams;
    }

    DockerHttpClient http() {
        return callsHttp;
    }

    /** The path prefix of the configured API version ({@code /v1.41}), empty for the engine's own. */
    String apiPrefix() {
        RemoteApiVersion version = config.getApiVersion();
        return version == null || version == RemoteApiVersion.UNKNOWN_VERSION ? "" : "/" + version.asWebPathPart();
    }

    private DockerHttpClient http(Duration connectTimeout, Duration responseTimeout) {
        ZerodepDockerHttpClient.Builder builder = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(connectTimeout);
        if (responseTimeout != null) {
            builder.responseTimeout(responseTimeout);
        }
        return builder.build();
    }

    @Override
    public void close() {
        List<IOException> failures = new ArrayList<>();
        for (AutoCloseableIo closeable : List.<AutoCloseableIo>of(streams::close, calls::close, streamsHttp::close,
                callsHttp::close)) {
            try {
                closeable.close();
            } catch (IOException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("closing the Docker clients failed", failures.get(0));
            failures.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    @FunctionalInterface
    private interface AutoCloseableIo {
        void close() throws IOException;
    }
}
