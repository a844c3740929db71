package io.outpost.common;

/** Error codes that belong to no particular area. */
public enum CommonErrorCode implements ErrorCode {
    /** A setting or argument has a value that is not allowed. */
    INVALID_ARGUMENT("invalid-argument", false),
    /** A resource the operation needs (engine, broker, cloud) did not answer in time. */
    UNAVAILABLE("unavailable", true),
    /** An operation took longer than its deadline. */
    TIMEOUT("timeout", true),
    /** A bug or an unexpected state; not retried. */
    INTERNAL("internal", false);

    private final String code;
    private final boolean retryable;

    CommonErrorCode(String code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public boolean retryableByDefault() {
        return retryable;
    }
}
