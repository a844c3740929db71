package io.outpost.iothub;

/**
 * A failure with an IoT Hub status: the host fails a twin operation with it to choose the status of the
 * {@code $iothub/twin/res/<status>} answer (400 a malformed patch, 404 no such twin, 413 too large, ...; any other
 * exception answers 500), and the server fails deliveries with it: {@link #NOT_CONNECTED} (404) when the target is
 * not connected or not subscribed, {@link #BUSY} (429) when too many deliveries to it await their PUBACK,
 * {@link #TIMEOUT} (504) when its PUBACK did not come in time, {@link #REJECTED} (500) when an MQTT 5 client
 * acknowledged with a failure reason code.
 */
public class DialectException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public static final int NOT_CONNECTED = 404;
    public static final int BUSY = 429;
    public static final int TIMEOUT = 504;
    public static final int REJECTED = 500;

    private final int status;

    public DialectException(int status, String message) {
        super(message);
        this.status = status;
    }

    public DialectException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
