package io.outpost.cloud;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Messages from the cloud to connected devices and modules, through the device endpoint: direct methods and
 * cloud-to-device messages. Direct methods reach only identities connected to this cloud node; cloud-to-device
 * messages wait in the device's durable queue until it is connected to any node.
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
     * Queues a cloud-to-device message for a device ({@code devices/<d>/messages/devicebound/<bag>}) and starts
     * its delivery when the device is connected to this node; as {@link #sendToDevice(String, CloudToDeviceMessage,
     * Duration)} without waiting for the delivery.
     */
    default CompletionStage<C2dEntry> sendToDevice(String deviceId, CloudToDeviceMessage message) {
        return sendToDevice(deviceId, message, Duration.ZERO);
    }

    /**
     * Queues a cloud-to-device message durably (an empty {@code messageId} is replaced by a generated one, a zero
     * {@code ttl} by the node's default) and delivers it as soon as the device is connected and subscribed, on
     * whichever cloud node it is. Completes once the message is queued and, when the device is connected here,
     * once it acknowledged the message or {@code waitForDelivery} passed: the entry's state tells which.
     * Fails with an {@link io.outpost.common.OutpostException}: {@link CloudErrorCode#NOT_FOUND} for an unknown
     * device, {@link CloudErrorCode#INVALID_ARGUMENT} for a bad id or time to live, {@link
     * CloudErrorCode#QUEUE_FULL} when the device's queue is full.
     */
    CompletionStage<C2dEntry> sendToDevice(String deviceId, CloudToDeviceMessage message, Duration waitForDelivery);

    /** The messages kept in a device's queue (queued ones and finished ones not yet removed), oldest first. */
    List<C2dEntry> deviceMessages(String deviceId);

    /** Purges the queued messages of a device; how many were purged. */
    int purgeDeviceMessages(String deviceId);

    /** The identities ({@code <device>} or {@code <device>/<module>}) connected to this node now, sorted. */
    List<String> connected();
}
