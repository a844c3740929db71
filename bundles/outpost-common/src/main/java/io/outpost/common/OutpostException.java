package io.outpost.common;

import java.util.Objects;

/**
 * The one unchecked exception of Outpost. It carries a stable {@link ErrorCode} and whether the failed
 * operation may succeed when retried; retry logic reads only {@link #retryable()}, never the message.
 * The message is for people and names what failed and why; the cause is always chained.
 */
public class OutpostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ErrorCode errorCode;
    private final boolean retryable;

    public OutpostException(ErrorCode errorCode, String message) {
        this(errorCode, message, errorCode.retryableByDefault(), null);
    }

    public OutpostException(ErrorCode errorCode, String message, Throwable cause) {
        this(errorCode, message, errorCode.retryableByDefault(), cause);
    }

    public OutpostException(ErrorCode errorCode, String message, boolean retryable, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        this.retryable = retryable;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public boolean retryable() {
        return retryable;
    }

    /** Whether any throwable is worth retrying: an {@code OutpostException} says so itself; others are not. */
    public static boolean isRetryable(Throwable t) {
        return t instanceof OutpostException e && e.retryable();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + errorCode.code() + (retryable ? ", retryable" : "") + "]: "
                + getMessage();
    }
}
