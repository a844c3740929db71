package io.outpost.hub.camel.internal;

import io.outpost.hub.EndpointSender;
import io.outpost.hub.StoredMessage;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Camel component {@value #SCHEME}: {@code outpost-endpoint:<endpoint>} delivers the exchange's
 * {@link StoredMessage} body through the hub's {@link EndpointSender}, asynchronously ({@link
 * EndpointSender#sendAsync}): the exchange completes on the endpoint's acknowledgement, so a pump can keep a window
 * of them in flight. It only produces.
 */
final class SenderComponent extends DefaultComponent {

    static final String SCHEME = "outpost-endpoint";
    /** Header holding the endpoint whose queue the message came from. */
    static final String ENDPOINT_HEADER = "OutpostEndpoint";

    private final EndpointSender sender;

    SenderComponent(EndpointSender sender) {
        this.sender = sender;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new SenderEndpoint(uri, this, URLDecoder.decode(remaining, StandardCharsets.UTF_8));
    }

    private static final class SenderEndpoint extends DefaultEndpoint {
        private final String endpoint;

        SenderEndpoint(String uri, SenderComponent component, String endpoint) {
            super(uri, component);
            this.endpoint = endpoint;
        }

        @Override
        public Producer createProducer() {
            EndpointSender sender = ((SenderComponent) getComponent()).sender;
            return new DefaultAsyncProducer(this) {
                @Override
                public boolean process(Exchange exchange, AsyncCallback callback) {
                    StoredMessage message;
                    try {
                        message = exchange.getIn().getMandatoryBody(StoredMessage.class);
                    } catch (Exception e) {
                        exchange.setException(e);
                        callback.done(true);
                        return true;
                    }
                    sender.sendAsync(endpoint, message).whenComplete((v, e) -> {
                        if (e != null) {
                            exchange.setException(e instanceof CompletionException && e.getCause() != null
                                    ? e.getCause() : e);
                        }
                        callback.done(false);
                    });
                    return false;
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException(SCHEME + " only delivers");
        }
    }
}
