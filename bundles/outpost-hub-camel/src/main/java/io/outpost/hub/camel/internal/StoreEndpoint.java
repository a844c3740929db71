package io.outpost.hub.camel.internal;

import io.outpost.common.Backoff;
import io.outpost.hub.MessageStore;
import java.time.Duration;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One endpoint's durable queue as a Camel consumer endpoint; see {@link StoreConsumer}. */
final class StoreEndpoint extends DefaultEndpoint {

    /** What the consumer needs: the store, the endpoint, its batch size, poll wait and back-off. */
    record Options(MessageStore store, String endpoint, int maxBatch, int window, Duration pollTimeout, Backoff backoff) {
    }

    private final Options options;

    StoreEndpoint(String uri, StoreComponent component, Options options) {
        super(uri, component);
        this.options = options;
    }

    Options options() {
        return options;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(StoreComponent.SCHEME + " only consumes; the router fills the queues");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        StoreConsumer consumer = new StoreConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }
}
