package io.outpost.cloud.endpoint.internal;

import io.outpost.cloud.CloudMessaging;
import io.outpost.cloud.store.internal.CloudStore;
import io.outpost.common.SystemClock;
import java.nio.file.Path;

/**
 * The cloud's device endpoint for the REST API's tests, over the test's store, with cloud-to-device queues of 3
 * messages at most.
 */
public final class WebTestEndpoint implements AutoCloseable {

    private final CloudEndpoint endpoint;

    public WebTestEndpoint(CloudStore store, Path dir, int port) throws Exception {
        this.endpoint = CloudEndpoint.start(EndpointSettings.forTest(dir, port), store.registry(), store.twins(),
                store.deployments(), store.telemetry(), store.c2d(), new C2dSettings(3, java.time.Duration.ofHours(1),
                java.time.Duration.ofSeconds(1)), SystemClock.INSTANCE);
    }

    public CloudMessaging messaging() {
        return endpoint.messaging();
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
