package io.outpost.hub.camel.internal;

import io.outpost.common.Backoff;
import io.outpost.hub.MessageStore;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * Camel component {@value #SCHEME}: {@code outpost-store:<endpoint>?maxBatch=100&window=16&pollTimeoutMs=1000
 * &backoffInitialMs=1000&backoffMaxMs=60000} consumes one endpoint's durable queue. It has no producer: the
 * router fills the queues.
 */
final class StoreComponent extends DefaultComponent {

    static final String SCHEME = "outpost-store";

    private final MessageStore store;

    StoreComponent(MessageStore store) {
        this.store = store;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String endpoint = URLDecoder.decode(remaining, StandardCharsets.UTF_8);
        if (endpoint.isBlank()) {
            throw new IllegalArgumentException(SCHEME + " needs an endpoint: " + uri);
        }
        int maxBatch = getAndRemoveParameter(parameters, "maxBatch", Integer.class, 100);
        int window = getAndRemoveParameter(parameters, "window", Integer.class, 16);
        long pollMs = getAndRemoveParameter(parameters, "pollTimeoutMs", Long.class, 1000L);
        long initialMs = getAndRemoveParameter(parameters, "backoffInitialMs", Long.class, 1000L);
        long maxMs = getAndRemoveParameter(parameters, "backoffMaxMs", Long.class, 60_000L);
        if (maxBatch < 1 || window < 1 || pollMs < 1) {
            throw new IllegalArgumentException("maxBatch, window and pollTimeoutMs must be positive: " + uri);
        }
        Backoff backoff = new Backoff(Duration.ofMillis(initialMs), 2.0, Duration.ofMillis(maxMs));
        return new StoreEndpoint(uri, this, new StoreEndpoint.Options(store, endpoint, maxBatch, window,
                Duration.ofMillis(pollMs), backoff));
    }
}
