package io.outpost.hub;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** Delivers cloud-to-device messages to the leaf devices connected to the hub. */
@ProviderType
public interface CloudToDevice {

    /**
     * Publishes a message to {@code devices/<deviceId>/messages/devicebound/<bag>} of the connected device and
     * returns once it was delivered (QoS 1: the device's PUBACK).
     *
     * @param properties application properties and system properties by their IoT Hub names ({@code messageId},
     *     {@code correlationId}, ...)
     * @throws io.outpost.common.OutpostException {@link HubErrorCode#ENDPOINT_UNAVAILABLE} when the device is not
     *     connected or did not acknowledge in time
     */
    void send(String deviceId, byte[] body, Map<String, String> properties);
}
