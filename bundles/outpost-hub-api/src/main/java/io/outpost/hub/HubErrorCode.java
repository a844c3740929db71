package io.outpost.hub;

import io.outpost.common.ErrorCode;

/** Error codes of the hub: its store, its router and its endpoints. */
public enum HubErrorCode implements ErrorCode {
    /** The endpoint's queue reached its byte quota and the message was refused; retry once it drained. */
    STORE_FULL("store-full", true),
    /** The store could not persist or read a message (broker stopped, disk error). */
    STORE_UNAVAILABLE("store-unavailable", true),
    /** A route's text does not compile; the message names the column and what was expected. */
    INVALID_ROUTE("invalid-route", false),
    /** No route of that name is in effect. */
    UNKNOWN_ROUTE("unknown-route", false),
    /** The endpoint cannot take messages now (module not subscribed, no cloud link); retried with back-off. */
    ENDPOINT_UNAVAILABLE("endpoint-unavailable", true),
    /** The endpoint will never accept this message; it is dead-lettered, not retried. */
    INVALID_MESSAGE("invalid-message", false);

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
