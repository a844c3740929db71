package io.outpost.hub;

import io.outpost.common.ErrorCode;

/** Error codes of the hub's store. */
public enum HubErrorCode implements ErrorCode {
    /** The endpoint's queue reached its byte quota and the message was refused; retry once it drained. */
    STORE_FULL("store-full", true),
    /** The store could not persist or read a message (broker stopped, disk error). */
    STORE_UNAVAILABLE("store-unavailable", true);

    private final String code;
    private final boolean retryable;

    HubErrorCode(String code, boolean retryable) {
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
