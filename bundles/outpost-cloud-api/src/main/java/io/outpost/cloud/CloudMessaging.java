package io.outpost.cloud;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Messages from the cloud to connected devices and modules, through the device endpoint: direct methods and
 * cloud-to-device messages. Only identities connected to this cloud node are reachable.
 */
@ProviderType
public interface CloudMessaging {

    /**
     * Calls a direct method on a device ({@code target} without module) or a module, and completes with its answer.
     * Never fails because the target is absent: the result has status 404 when it is not connected or not
     * subscribed to methods, 504 when it did not answer within {@code timeout}, 429 when too many calls wait.
     *
     * @param payloadJson the request payload, JSON text
     */
    CompletionStage<MethodResponse> invokeMethod(TwinId target, String method, String payloadJson, Duration timeout);

    /**
     * Sends a cloud-to-device message to a device ({@code devices/<d>/messages/devicebound/<bag>}). Completes when
     * the device acknowledged it; fails with an {@link io.outpost.common.OutpostException} of code
     * {@link CloudErrorCode#NOT_FOUND} when the device is not connected or not subscribed.
     */
    CompletionStage<Void> sendToDevice(String deviceId, CloudToDeviceMessage message);

    /** The identities ({@code <device>} or {@code <device>/<module>}) connected to this node now, sorted. */
    List<String> connected();
}
