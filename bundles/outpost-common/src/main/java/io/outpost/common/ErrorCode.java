package io.outpost.common;

/**
 * A stable, machine-readable error code. Each area defines its codes as an enum implementing this
 * interface; the code text ({@link #code()}) is what reports, logs and the shell show and what
 * operators search for, so it never changes once released.
 */
public interface ErrorCode {

    /** A stable identifier, lower-case words separated by dashes, e.g. {@code manifest-invalid}. */
    String code();

    /** Whether an operation failing with this code is worth retrying unless the thrower says otherwise. */
    default boolean retryableByDefault() {
        return false;
    }
}
