package io.outpost.container;

import io.outpost.common.OutpostException;

/**
 * Receives the items of a stream (log lines, engine events) on the stream's own thread. After
 * {@link #onComplete()} or {@link #onError(OutpostException)} no more calls arrive; neither is called
 * after the subscription was closed by its owner.
 */
@FunctionalInterface
public interface StreamListener<T> {

    void onNext(T item);

    /** The stream ended normally (a log without follow reached its end). */
    default void onComplete() {
    }

    /** The stream broke, typically because the engine went away. */
    default void onError(OutpostException error) {
    }

    /** A listener that drops everything, for streams read only for their end. */
    static <T> StreamListener<T> ignoring() {
        return item -> {
        };
    }
}
