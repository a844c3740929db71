package io.outpost.hub.internal;

import io.outpost.common.OutpostException;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.IncomingMessage;
import io.outpost.hub.Message;
import io.outpost.hub.MessageRouter;
import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectRequest;
import io.outpost.iothub.DialectException;
import io.outpost.iothub.DialectHost;
import io.outpost.iothub.IotMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The edge hub as the dialect server's host: clients authenticate against the device's identities, telemetry
 * goes to the {@link MessageRouter} (and is acknowledged once the router has it durable in every matching
 * endpoint queue), twins live in {@link EdgeTwins}. Routing and twin writes run on the hub's worker, never on a
 * network thread.
 */
final class EdgeHost implements DialectHost {

    private final EdgeAuthenticator authenticator;
    private final MessageRouter router;
    private final EdgeTwins twins;
    private final Executor worker;

    EdgeHost(EdgeAuthenticator authenticator, MessageRouter router, EdgeTwins twins, Executor worker) {
        this.authenticator = authenticator;
        this.router = router;
        this.twins = twins;
        this.worker = worker;
    }

    @Override
    public CompletionStage<Optional<Authenticated>> authenticate(ConnectRequest request) {
        return CompletableFuture.completedFuture(authenticator.authenticate(request));
    }

    @Override
    public CompletionStage<Void> telemetry(ClientIdentity identity, IotMessage message) {
        IncomingMessage incoming = incoming(identity, message);
        return async(() -> {
            try {
                router.route(incoming);
                return null;
            } catch (OutpostException e) {
                int status = e.errorCode() == HubErrorCode.STORE_FULL ? 429 : 503;
                throw new DialectException(status, e.getMessage(), e);
            }
        });
    }

    /** The router's view of a client's telemetry: a module's output from {@code $.on}, or a leaf device's. */
    static IncomingMessage incoming(ClientIdentity identity, IotMessage message) {
        Map<String, String> system = new HashMap<>(message.systemProperties());
        String output = system.remove(IotMessage.OUTPUT_NAME);
        if (output != null && output.isEmpty()) {
            output = null;
        }
        if (identity.moduleId().isPresent()) {
            system.put(Router.CONNECTION_DEVICE_ID, identity.deviceId());
            return IncomingMessage.fromModule(identity.moduleId().get(), output,
                    new Message(system, message.properties(), message.body()));
        }
        return IncomingMessage.fromDevice(identity.deviceId(), new Message(system, message.properties(),
                message.body()));
    }

    @Override
    public CompletionStage<String> getTwin(ClientIdentity identity) {
        return async(() -> twins.get(identity.name()));
    }

    @Override
    public CompletionStage<Long> patchReported(ClientIdentity identity, String patchJson) {
        return async(() -> twins.patchReported(identity.name(), patchJson));
    }

    private <T> CompletionStage<T> async(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, worker);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new DialectException(503, "the hub is busy or stopping"));
        }
    }
}
