package io.outpost.hub;

import java.time.Duration;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Calls direct methods on the modules and leaf devices connected to the hub. */
@ProviderType
public interface MethodInvoker {

    /**
     * Calls {@code method} with a JSON payload and waits for the answer: the client's status and JSON payload;
     * 404 when the target is not connected or not subscribed to methods, 504 when it did not answer within
     * {@code timeout} (as IoT Hub answers).
     *
     * @throws IllegalArgumentException naming the field when the method name, payload or timeout is invalid
     */
    MethodResponse invoke(String deviceId, Optional<String> moduleId, String method, String payloadJson,
            Duration timeout);

    /** A direct method's answer. */
    record MethodResponse(int status, String payloadJson) {
    }
}
