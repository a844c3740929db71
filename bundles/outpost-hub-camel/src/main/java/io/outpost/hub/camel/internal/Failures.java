package io.outpost.hub.camel.internal;

import io.outpost.common.OutpostException;
import org.apache.camel.Exchange;

/**
 * Tells an endpoint's transient failures from its verdict that a message is invalid. Invalid: the exchange
 * property {@value #INVALID_REASON} is set, or the failure (or a cause) is an {@link OutpostException} that
 * is not retryable, or an {@link IllegalArgumentException}. Everything else is transient and retried.
 */
final class Failures {

    /** Exchange property a route may set (to the reason) to dead-letter the message without throwing. */
    static final String INVALID_REASON = "OutpostInvalidReason";

    private Failures() {
    }

    /** The reason to dead-letter the exchange's message, or {@code null} when its failure is transient. */
    static String invalidReason(Exchange exchange) {
        String reason = exchange.getProperty(INVALID_REASON, String.class);
        if (reason != null) {
            return reason;
        }
        for (Throwable t = exchange.getException(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutpostException o) {
                return o.retryable() ? null : describe(o);
            }
            if (t instanceof IllegalArgumentException) {
                return describe(t);
            }
        }
        return null;
    }

    static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
