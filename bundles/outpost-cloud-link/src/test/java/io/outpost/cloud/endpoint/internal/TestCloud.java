package io.outpost.cloud.endpoint.internal;

import io.outpost.cloud.store.internal.CloudStore;
import io.outpost.common.SystemClock;
import java.nio.file.Path;

/** The cloud's device endpoint for the link's tests: started on a port over a store, stopped and started again. */
public final class TestCloud implements AutoCloseable {

    private final CloudEndpoint endpoint;

    private TestCloud(CloudEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Starts the endpoint; its CA lives in {@code dir}, so a restart on the same dir serves the same CA. */
    public static TestCloud start(CloudStore store, Path dir, int port) throws Exception {
        return new TestCloud(CloudEndpoint.start(EndpointSettings.forTest(dir, port), store.registry(), store.twins(),
                store.deployments(), store.telemetry(), store.c2d(), C2dSettings.defaults(), SystemClock.INSTANCE));
    }

    public static Path trustBundle(Path dir) {
        return dir.resolve("trust-bundle.pem");
    }

    public io.outpost.cloud.CloudMessaging messaging() {
        return endpoint.messaging();
    }

    public java.util.List<String> connected() {
        return endpoint.messaging().connected();
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
