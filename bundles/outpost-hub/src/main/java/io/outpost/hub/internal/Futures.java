package io.outpost.hub.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** The hub's blocking views of its asynchronous writes and deliveries. */
final class Futures {

    private Futures() {
    }

    /** Waits for the result; a failure is rethrown as the exception it failed with, not wrapped. */
    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** What a stage failed with: the cause a {@link CompletionException} wraps, or the failure itself. */
    static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
