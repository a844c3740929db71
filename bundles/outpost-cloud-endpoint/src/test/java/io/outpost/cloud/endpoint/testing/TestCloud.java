package io.outpost.cloud.endpoint.testing;

import io.outpost.cloud.CloudMessaging;
import io.outpost.cloud.endpoint.internal.TestEndpoints;
import io.outpost.cloud.store.testing.CloudStoreFixture;
import java.nio.file.Path;
import java.util.List;

/**
 * The cloud's device endpoint over a store, for the tests of other bundles (outpost-cloud-endpoint's test-jar):
 * started on a port of 127.0.0.1, stopped and started again. Its CA lives in the given folder, so a restart on the
 * same folder serves the same CA. Only exported types (outpost-cloud-api) and the fixtures cross this boundary.
 */
public final class TestCloud implements AutoCloseable {

    private final TestEndpoints.Started endpoint;

    private TestCloud(TestEndpoints.Started endpoint) {
        this.endpoint = endpoint;
    }

    /** Starts the endpoint with the component's cloud-to-device defaults. */
    public static TestCloud start(CloudStoreFixture store, Path dir, int port) throws Exception {
        return start(store, dir, port, 0);
    }

    /** Starts the endpoint with at most {@code maxQueued} cloud-to-device messages per device (0: the default). */
    public static TestCloud start(CloudStoreFixture store, Path dir, int port, int maxQueued) throws Exception {
        return new TestCloud(TestEndpoints.start(dir, port, maxQueued, store.registry(), store.twins(),
                store.deployments(), store.telemetry(), store.c2d()));
    }

    /** The PEM file devices trust to reach an endpoint whose CA lives in {@code dir}. */
    public static Path trustBundle(Path dir) {
        return dir.resolve("trust-bundle.pem");
    }

    public CloudMessaging messaging() {
        return endpoint.messaging().get();
    }

    public List<String> connected() {
        return messaging().connected();
    }

    @Override
    public void close() {
        endpoint.stop().run();
    }
}
