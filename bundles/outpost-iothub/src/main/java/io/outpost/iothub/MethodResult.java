package io.outpost.iothub;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The answer to a direct method: the status the client answered with (or {@link #NOT_CONNECTED} when the target
 * is not connected or not subscribed to methods, {@link #TIMEOUT} when it did not answer in time, as IoT Hub
 * reports them) and the JSON payload.
 */
public record MethodResult(int status, byte[] payload) {

    /** The target is not connected, or not subscribed to {@code $iothub/methods/POST/#}. */
    public static final int NOT_CONNECTED = 404;
    /** The target did not answer within the timeout. */
    public static final int TIMEOUT = 504;
    /** Too many method calls are waiting for this client's answers. */
    public static final int BUSY = 429;

    public MethodResult {
        payload = Objects.requireNonNull(payload, "payload").clone();
    }

    /** A result whose payload is {@code {"message":"<text>"}}. */
    public static MethodResult error(int status, String message) {
        String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"");
        return new MethodResult(status, ("{\"message\":\"" + escaped + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MethodResult r && status == r.status && Arrays.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
        return 31 * status + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "MethodResult[status=" + status + ", payload=" + payloadText() + "]";
    }
}
