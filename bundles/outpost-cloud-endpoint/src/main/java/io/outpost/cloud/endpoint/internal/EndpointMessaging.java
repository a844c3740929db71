package io.outpost.cloud.endpoint.internal;

import io.outpost.cloud.C2dEntry;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.CloudMessaging;
import io.outpost.cloud.CloudToDeviceMessage;
import io.outpost.cloud.Ids;
import io.outpost.cloud.MethodResponse;
import io.outpost.cloud.TwinId;
import io.outpost.common.OutpostException;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectedClient;
import io.outpost.iothub.DialectServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** {@link CloudMessaging} through this node's dialect server. */
final class EndpointMessaging implements CloudMessaging {

    private static final Duration MAX_METHOD_TIMEOUT = Duration.ofSeconds(300);

    private final DialectServer server;
    private final C2dDelivery c2d;

    EndpointMessaging(DialectServer server, C2dDelivery c2d) {
        this.server = server;
        this.c2d = c2d;
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
    public CompletionStage<C2dEntry> sendToDevice(String deviceId, CloudToDeviceMessage message,
            Duration waitForDelivery) {
        Ids.device(deviceId);
        return c2d.send(deviceId, message, waitForDelivery);
    }

    @Override
    public List<C2dEntry> deviceMessages(String deviceId) {
        return c2d.queue().list(deviceId);
    }

    @Override
    public int purgeDeviceMessages(String deviceId) {
        return c2d.queue().purge(deviceId);
    }

    @Override
    public List<String> connected() {
        return server.clients().stream().map(ConnectedClient::identity).map(ClientIdentity::name).sorted().toList();
    }
}
