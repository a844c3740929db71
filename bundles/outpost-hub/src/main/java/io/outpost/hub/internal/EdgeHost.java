package io.outpost.hub.internal;

import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.IncomingMessage;
import io.outpost.hub.Message;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.RouteResult;
import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectRequest;
import io.outpost.iothub.DialectException;
import io.outpost.iothub.DialectHost;
import io.outpost.iothub.IotHubProperties;
import io.outpost.iothub.IotMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge hub as the dialect server's host: clients authenticate against the device's identities, telemetry
 * goes to the {@link MessageRouter} (and is acknowledged once the router has it durable in every matching
 * endpoint queue), twins live in a {@link TwinStore} ({@link EdgeTwins}), and an accepted reported patch is routed
 * as a twin change notification. Telemetry is routed on the connection's network thread; twin reads and writes run
 * on the listener's worker, never on a network thread.
 */
final class EdgeHost implements DialectHost {

    /** {@code messageSchema} and {@code messageType} of a twin change notification, as edgeHub sets them. */
    static final String TWIN_CHANGE_NOTIFICATION = "twinChangeNotification";
    static final String MESSAGE_SCHEMA = "messageSchema";
    static final String MESSAGE_TYPE = "messageType";
    static final String ENQUEUED_TIME = "enqueuedTime";
    private static final Logger LOG = LoggerFactory.getLogger(EdgeHost.class);

    private final EdgeAuthenticator authenticator;
    private final MessageRouter router;
    private final TwinStore twins;
    private final Executor worker;
    private final Clock clock;
    private final Consumer<String> inputsSubscribed;

    EdgeHost(EdgeAuthenticator authenticator, MessageRouter router, TwinStore twins, Executor worker, Clock clock) {
        this(authenticator, router, twins, worker, clock, module -> { });
    }

    /** {@code inputsSubscribed} is told the module id whenever a module subscribes to its inputs. */
    EdgeHost(EdgeAuthenticator authenticator, MessageRouter router, TwinStore twins, Executor worker, Clock clock,
            Consumer<String> inputsSubscribed) {
        this.authenticator = authenticator;
        this.router = router;
        this.twins = twins;
        this.worker = worker;
        this.clock = clock;
        this.inputsSubscribed = inputsSubscribed;
    }

    /**
     * A module that subscribes to its inputs ({@code devices/<d>/modules/<m>/inputs/#}, or a wider filter of its
     * own) can be delivered to again: its pumps stop backing off.
     */
    @Override
    public void subscribed(ClientIdentity identity, String topicFilter) {
        identity.moduleId().filter(m -> topicFilter.contains("/inputs/") || topicFilter.endsWith("/#"))
                .ifPresent(inputsSubscribed);
    }

    @Override
    public CompletionStage<Optional<Authenticated>> authenticate(ConnectRequest request) {
        return CompletableFuture.completedFuture(authenticator.authenticate(request));
    }

    /**
     * Routes on the calling (network) thread, so connections are routed in parallel; the result completes once the
     * message is durable in every endpoint queue it matched, which the store does for many messages at once.
     */
    @Override
    public CompletionStage<Void> telemetry(ClientIdentity identity, IotMessage message) {
        IncomingMessage incoming = incoming(identity, message);
        CompletionStage<RouteResult> routed;
        try {
            routed = router.routeAsync(incoming);
        } catch (RuntimeException e) {
            routed = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        routed.whenComplete((r, e) -> {
            if (e == null) {
                result.complete(null);
                return;
            }
            Throwable cause = Futures.cause(e);
            if (cause instanceof OutpostException oe) {
                int status = oe.errorCode() == HubErrorCode.STORE_FULL ? 429 : 503;
                result.completeExceptionally(new DialectException(status, oe.getMessage(), oe));
            } else {
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    /** The router's view of a client's telemetry: a module's output from {@code $.on}, or a leaf device's. */
    static IncomingMessage incoming(ClientIdentity identity, IotMessage message) {
        Map<String, String> system = new HashMap<>(message.systemProperties());
        String output = system.remove(IotHubProperties.OUTPUT_NAME);
        if (output != null && output.isEmpty()) {
            output = null;
        }
        if (identity.moduleId().isPresent()) {
            system.put(IotHubProperties.CONNECTION_DEVICE_ID, identity.deviceId());
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

    /**
     * Applies the patch; once it is valid, and before the twin is saved, its twin change notification goes to the
     * router. A refused patch emits nothing; a notification the router cannot take (store full, store down)
     * refuses the patch (429 or 503), leaving the twin unchanged, as telemetry is refused.
     */
    @Override
    public CompletionStage<Long> patchReported(ClientIdentity identity, String patchJson) {
        return async(() -> twins.patchReported(identity.name(), patchJson,
                change -> routeTwinChange(identity, change)));
    }

    private void routeTwinChange(ClientIdentity identity, EdgeTwins.ReportedChange change) {
        IncomingMessage notification = twinChange(identity, change, clock.now());
        RouteResult result;
        try {
            result = router.route(notification);
        } catch (OutpostException e) {
            int status = e.errorCode() == HubErrorCode.STORE_FULL ? 429 : 503;
            LOG.debug("twin-change-not-routed identity={} version={} status={} error=\"{}\"", identity,
                    change.version(), status, e.getMessage());
            throw new DialectException(status, "the reported properties were not applied: their twin change "
                    + "notification could not be queued: " + e.getMessage(), e);
        }
        LOG.debug("twin-change-routed identity={} version={} endpoints={}", identity, change.version(),
                result.enqueued().size());
    }

    /**
     * The twin change notification of an accepted reported patch: source {@code /twinChangeNotifications}, body
     * {@code {"version":<reported version>,"properties":{"reported":<the patch>}}}, and the system properties
     * edgeHub sets on it ({@code messageSchema} and {@code messageType} {@value #TWIN_CHANGE_NOTIFICATION},
     * {@code enqueuedTime}, {@code connectionDeviceId}, {@code connectionModuleId} for a module) with
     * {@code contentType} {@code application/json} and {@code contentEncoding} {@code utf-8}.
     */
    static IncomingMessage twinChange(ClientIdentity identity, EdgeTwins.ReportedChange change, Instant now) {
        Map<String, String> system = new HashMap<>();
        system.put(MESSAGE_SCHEMA, TWIN_CHANGE_NOTIFICATION);
        system.put(MESSAGE_TYPE, TWIN_CHANGE_NOTIFICATION);
        system.put(ENQUEUED_TIME, now.toString());
        system.put(IotHubProperties.CONTENT_TYPE, "application/json");
        system.put(IotHubProperties.CONTENT_ENCODING, "utf-8");
        system.put(IotHubProperties.CONNECTION_DEVICE_ID, identity.deviceId());
        identity.moduleId().ifPresent(m -> system.put(IotHubProperties.CONNECTION_MODULE_ID, m));
        String body = "{\"version\":" + change.version() + ",\"properties\":{\"reported\":" + change.patchJson()
                + "}}";
        return new IncomingMessage(IncomingMessage.Origin.TWIN_CHANGE, identity.name(), null,
                new Message(system, Map.of(), body.getBytes(StandardCharsets.UTF_8)));
    }

    private <T> CompletionStage<T> async(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, worker);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new DialectException(503, "the hub is busy or stopping"));
        }
    }
}
