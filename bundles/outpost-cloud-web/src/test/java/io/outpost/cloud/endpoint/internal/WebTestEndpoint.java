package io.outpost.cloud.endpoint.internal;

import io.outpost.cloud.CloudMessaging;
import io.outpost.cloud.store.internal.CloudStore;
import io.outpost.common.SystemClock;
import java.nio.file.Path;

/** The cloud's device endpoint for the REST API's tests, over the test's store. */
public final class WebTestEndpoint implements AutoCloseable {

    private final CloudEndpoint endpoint;

    public WebTestEndpoint(CloudStore store, Path dir, int port) throws Exception {
        this.endpoint = CloudEndpoint.start(EndpointSettings.forTest(dir, port), store.registry(), store.twins(),
                store.deployments(), store.telemetry(), SystemClock.INSTANCE);
    }

    public CloudMessaging messaging() {
        return endpoint.messaging();
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
