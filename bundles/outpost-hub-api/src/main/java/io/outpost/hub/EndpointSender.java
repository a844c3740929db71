package io.outpost.hub;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Delivers a stored message to its endpoint; what each endpoint's pump calls. {@link #send} returns once the
 * endpoint has the message; the pump then removes it from the queue. {@link #sendAsync} does the same without
 * blocking, so a pump can have a window of messages in flight to one endpoint; calls made one after another
 * reach the endpoint in that order.
 *
 * <p>Failures: an {@link io.outpost.common.OutpostException} that is {@linkplain
 * io.outpost.common.OutpostException#retryable() retryable} (the module is not connected, the cloud link is
 * down) keeps the message in its queue to be retried with back-off; one that is not retryable, or an
 * {@link IllegalArgumentException}, means the endpoint will never accept this message: it is dead-lettered.
 */
@ConsumerType
public interface EndpointSender {

    void send(String endpoint, StoredMessage message);

    /**
     * Delivers without blocking: completes once the endpoint has the message, or fails as {@link #send} throws.
     * This default calls {@link #send} before it returns.
     */
    default CompletionStage<Void> sendAsync(String endpoint, StoredMessage message) {
        try {
            send(endpoint, message);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
