package io.outpost.hub.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpost.common.OutpostException;
import io.outpost.hub.CloudToDevice;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.MethodInvoker;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.DialectServer;
import io.outpost.iothub.IotHubProperties;
import io.outpost.iothub.IotMessage;
import io.outpost.iothub.MethodResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Calls into connected clients through the hub's MQTT listener ({@link HubListener}): direct methods
 * ({@link MethodInvoker}, for the shell and the cloud link) and cloud-to-device messages ({@link CloudToDevice},
 * for the cloud link). Without a listener a method call answers {@link MethodResult#NOT_CONNECTED} and a
 * cloud-to-device message fails as {@link HubErrorCode#ENDPOINT_UNAVAILABLE}.
 */
@Component(service = {MethodInvoker.class, CloudToDevice.class})
public class CloudToDeviceComponent implements MethodInvoker, CloudToDevice {

    static final long C2D_TIMEOUT_SECS = 30;
    private static final Set<String> C2D_SYSTEM = IotHubProperties.MESSAGE_PROPERTIES;

    /** The listener calls go through, while there is one. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HubListener listener;

    public CloudToDeviceComponent() {
    }

    /** For tests: calls through {@code listener}. */
    CloudToDeviceComponent(HubListener listener) {
        this.listener = listener;
    }

    private DialectServer server() {
        HubListener current = listener;
        return current == null ? null : current.server().orElse(null);
    }

    @Override
    public void send(String deviceId, byte[] body, Map<String, String> properties) {
        DialectServer current = server();
        if (current == null) {
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE, "the hub has no MQTT listener");
        }
        Map<String, String> system = new TreeMap<>();
        Map<String, String> application = new TreeMap<>();
        properties.forEach((name, value) -> (C2D_SYSTEM.contains(name) ? system : application).put(name, value));
        try {
            current.deliverC2D(deviceId, new IotMessage(system, application, body)).toCompletableFuture()
                    .get(C2D_TIMEOUT_SECS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE,
                    "cloud-to-device message to " + deviceId + " not delivered: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new OutpostException(HubErrorCode.ENDPOINT_UNAVAILABLE,
                    deviceId + " did not acknowledge the cloud-to-device message in " + C2D_TIMEOUT_SECS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public MethodResponse invoke(String deviceId, Optional<String> moduleId, String method, String payloadJson,
            Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("timeout must be between 1 second and 1 hour: " + timeout);
        }
        String payload = payloadJson == null || payloadJson.isBlank() ? "null" : payloadJson.trim();
        try {
            new ObjectMapper().readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("payload is not JSON: " + e.getMessage());
        }
        ClientIdentity target = new ClientIdentity(deviceId, moduleId);
        DialectServer current = server();
        if (current == null) {
            return new MethodResponse(MethodResult.NOT_CONNECTED, "{\"message\":\"the hub has no MQTT listener\"}");
        }
        try {
            MethodResult result = current.invokeMethod(target, method, payload.getBytes(StandardCharsets.UTF_8),
                    timeout).toCompletableFuture().get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            return new MethodResponse(result.status(), result.payloadText());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw bad;
            }
            throw new IllegalStateException("method call failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            return new MethodResponse(MethodResult.TIMEOUT, "{\"message\":\"no answer in time\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
