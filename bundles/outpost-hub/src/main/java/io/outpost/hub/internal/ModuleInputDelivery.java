package io.outpost.hub.internal;

import io.outpost.common.OutpostException;
import io.outpost.hub.EndpointSender;
import io.outpost.hub.Endpoints;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.StoredMessage;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.DialectServer;
import io.outpost.iothub.IotMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Delivers module-input endpoints through the IoT Hub dialect server to {@code devices/<device>/modules/<module>
 * /inputs/<input>/<bag>}: {@link #send} returns only once the module acknowledged the message with PUBACK, so the
 * store acknowledges (removes) it only then. A module that is not connected, not subscribed to its inputs, too
 * busy or too slow to acknowledge fails the send as retryable ({@link HubErrorCode#ENDPOINT_UNAVAILABLE}): the
 * message stays queued. Without a listener (no security services, or its port still taken) every module input is
 * unavailable. {@code $upstream} always fails as retryable here: the cloud link delivers it.
 */
final class ModuleInputDelivery implements EndpointSender {

    private final String deviceId;
    private final Supplier<HubListener> listener;

    /**
     * Deliveries to {@code deviceId}'s modules through the listener that {@code listener} gives at each send
     * ({@code null} while there is none).
     */
    ModuleInputDelivery(String deviceId, Supplier<HubListener> listener) {
        if (deviceId == null || deviceId.isBlank()) {
            throw new IllegalArgumentException("deviceId must not be empty");
        }
        this.deviceId = deviceId;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    String deviceId() {
        return deviceId;
    }

    @Override
    public void send(String endpoint, StoredMessage message) {
        try {
            sendAsync(endpoint, message).toCompletableFuture().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, "interrupted while delivering to "
                    + endpoint, e);
        }
    }

    /**
     * Hands the message to the module's connection and completes on its PUBACK. Calls made one after another are
     * published in that order; how many may await a PUBACK is the connection's window (its Receive Maximum, at
     * most the listener's {@code maxInflightOut}).
     */
    @Override
    public CompletableFuture<Void> sendAsync(String endpoint, StoredMessage message) {
        if (Endpoints.UPSTREAM.equals(endpoint)) {
            return CompletableFuture.failedFuture(new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE,
                    "no cloud link: $upstream is held"));
        }
        if (!Endpoints.isModuleInput(endpoint)) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("not an endpoint this hub delivers to: " + endpoint));
        }
        HubListener hub = listener.get();
        DialectServer current = hub == null ? null : hub.server().orElse(null);
        String module = Endpoints.module(endpoint);
        String input = Endpoints.input(endpoint);
        if (current == null) {
            return CompletableFuture.failedFuture(new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE,
                    "the hub has no MQTT listener: module " + module + " cannot be reached"));
        }
        Duration timeout = hub.deliveryTimeout().plusSeconds(5);
        CompletableFuture<Void> result = new CompletableFuture<>();
        current.deliverInput(ClientIdentity.module(deviceId, module), input, toIot(message)).toCompletableFuture()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
                    if (e == null) {
                        result.complete(null);
                        return;
                    }
                    Throwable cause = Futures.cause(e);
                    if (cause instanceof IllegalArgumentException bad) {
                        result.completeExceptionally(bad);
                    } else if (cause instanceof TimeoutException) {
                        result.completeExceptionally(new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE,
                                "module " + module + " did not acknowledge within " + timeout, cause));
                    } else {
                        result.completeExceptionally(new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE,
                                "module " + module + " input " + input + ": " + cause.getMessage(), cause));
                    }
                });
        return result;
    }

    /** The stored message as the dialect sends it: system properties by their IoT Hub names. */
    static IotMessage toIot(StoredMessage message) {
        Map<String, String> system = new HashMap<>(message.systemProperties());
        return new IotMessage(system, message.properties(), message.body());
    }
}
