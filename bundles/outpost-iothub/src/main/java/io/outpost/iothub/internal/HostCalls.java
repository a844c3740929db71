package io.outpost.iothub.internal;

import io.outpost.iothub.DialectException;
import io.outpost.iothub.MethodResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Calls into the host that never throw, and what a failed one tells the client (status and message). */
final class HostCalls {

    private HostCalls() {
    }

    /** The host's stage; a failed one where the host threw or returned null. */
    static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> hostCall) {
        try {
            CompletionStage<T> stage = hostCall.get();
            return stage == null ? CompletableFuture.failedFuture(new IllegalStateException("the host returned null"))
                    : stage;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The status of a {@link DialectException}, 500 for anything else. */
    static int status(Throwable e) {
        Throwable cause = unwrap(e);
        return cause instanceof DialectException d ? d.status() : 500;
    }

    static String message(Throwable e) {
        Throwable cause = unwrap(e);
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** The JSON body of an error answer to a twin request. */
    static byte[] errorBody(Throwable e) {
        return MethodResult.error(status(e), message(e)).payload();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
