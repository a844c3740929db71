package io.outpost.hub;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Delivers a stored message to its endpoint; what each endpoint's pump calls. {@link #send} returns once the
 * endpoint has the message; the pump then removes it from the queue.
 *
 * <p>Failures: an {@link io.outpost.common.OutpostException} that is {@linkplain
 * io.outpost.common.OutpostException#retryable() retryable} (the module is not connected, the cloud link is
 * down) keeps the message in its queue to be retried with back-off; one that is not retryable, or an
 * {@link IllegalArgumentException}, means the endpoint will never accept this message: it is dead-lettered.
 */
@ConsumerType
public interface EndpointSender {

    void send(String endpoint, StoredMessage message);
}
