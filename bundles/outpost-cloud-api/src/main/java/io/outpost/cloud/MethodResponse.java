package io.outpost.cloud;

import java.util.Objects;

/**
 * A direct method's answer: the status the device or module answered with (404 not connected, 504 timed out, 429
 * busy, as IoT Hub reports them) and its JSON payload.
 */
public record MethodResponse(int status, String payload) {

    public MethodResponse {
        Objects.requireNonNull(payload, "payload");
    }
}
