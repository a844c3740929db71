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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers module-input endpoints through the IoT Hub dialect server to {@code devices/<device>/modules/<module>
 * /inputs/<input>/<bag>}: {@link #send} returns only once the module acknowledged the message with PUBACK, so the
 * store acknowledges (removes) it only then. A module that is not connected, not subscribed to its inputs, too
 * busy or too slow to acknowledge fails the send as retryable ({@link HubErrorCode#ENDPOINT_UNAVAILABLE}): the
 * message stays queued. Without a listener (no security services) every module input is unavailable.
 * {@code $upstream} always fails as retryable here: the cloud link delivers it.
 */
final class ModuleInputDelivery implements EndpointSender {

    private final String deviceId;
    private volatile DialectServer server;
    private volatile Duration timeout = Duration.ofSeconds(65);

    ModuleInputDelivery(String deviceId) {
        if (deviceId == null || deviceId.isBlank()) {
            throw new IllegalArgumentException("deviceId must not be empty");
        }
        this.deviceId = deviceId;
    }

    String deviceId() {
        return deviceId;
    }

    /** The server deliveries go through from now on ({@code null}: none), and how long a send waits at most. */
    void attach(DialectServer server, Duration deliveryTimeout) {
        this.timeout = deliveryTimeout.plusSeconds(5);
        this.server = server;
    }

    @Override
    public void send(String endpoint, StoredMessage message) {
        if (Endpoints.UPSTREAM.equals(endpoint)) {
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, "no cloud link: $upstream is held");
        }
        if (!Endpoints.isModuleInput(endpoint)) {
            throw new IllegalArgumentException("not an endpoint this hub delivers to: " + endpoint);
        }
        DialectServer current = server;
        String module = Endpoints.module(endpoint);
        String input = Endpoints.input(endpoint);
        if (current == null) {
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE,
                    "the hub has no MQTT listener: module " + module + " cannot be reached");
        }
        try {
            current.deliverInput(ClientIdentity.module(deviceId, module), input, toIot(message))
                    .toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof IllegalArgumentException bad) {
                throw bad;
            }
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, "module " + module + " input " + input
                    + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, "module " + module
                    + " did not acknowledge within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, "interrupted while delivering to " + module,
                    e);
        }
    }

    /** The stored message as the dialect sends it: system properties by their IoT Hub names. */
    static IotMessage toIot(StoredMessage message) {
        Map<String, String> system = new HashMap<>(message.systemProperties());
        return new IotMessage(system, message.properties(), message.body());
    }
}
