package io.outpost.cloud.endpoint.internal;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.CloudMessaging;
import io.outpost.cloud.CloudToDeviceMessage;
import io.outpost.cloud.Ids;
import io.outpost.cloud.MethodResponse;
import io.outpost.cloud.TwinId;
import io.outpost.common.OutpostException;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectedClient;
import io.outpost.iothub.DialectException;
import io.outpost.iothub.DialectServer;
import io.outpost.iothub.IotMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** {@link CloudMessaging} through this node's dialect server. */
final class EndpointMessaging implements CloudMessaging {

    private static final Duration MAX_METHOD_TIMEOUT = Duration.ofSeconds(300);

    private final DialectServer server;

    EndpointMessaging(DialectServer server) {
        this.server = server;
    }

    @Override
    public CompletionStage<MethodResponse> invokeMethod(TwinId target, String method, String payloadJson,
            Duration timeout) {
        if (method == null || method.isEmpty() || method.contains("/") || method.length() > 128) {
            throw new OutpostException(CloudErrorCode.INVALID_ARGUMENT,
                    "method name must be 1 to 128 characters without '/': " + method);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_METHOD_TIMEOUT) > 0) {
            throw new OutpostException(CloudErrorCode.INVALID_ARGUMENT,
                    "timeout must be between 1 and 300 seconds: " + timeout);
        }
        ClientIdentity identity = new ClientIdentity(target.deviceId(), target.moduleId());
        return server.invokeMethod(identity, method, payloadJson.getBytes(StandardCharsets.UTF_8), timeout)
                .thenApply(r -> new MethodResponse(r.status(), r.payloadText()));
    }

    @Override
    public CompletionStage<Void> sendToDevice(String deviceId, CloudToDeviceMessage message) {
        Ids.device(deviceId);
        Map<String, String> system = message.messageId().isEmpty() ? Map.of()
                : Map.of(IotMessage.MESSAGE_ID, message.messageId());
        return server.deliverC2D(deviceId, new IotMessage(system, message.properties(), message.body()))
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof DialectException d && d.status() == DialectException.NOT_CONNECTED) {
                        throw new OutpostException(CloudErrorCode.NOT_FOUND, "device '" + deviceId
                                + "' is not connected or not subscribed to cloud-to-device messages", d);
                    }
                    throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
                });
    }

    @Override
    public List<String> connected() {
        return server.clients().stream().map(ConnectedClient::identity).map(ClientIdentity::name).sorted().toList();
    }
}
