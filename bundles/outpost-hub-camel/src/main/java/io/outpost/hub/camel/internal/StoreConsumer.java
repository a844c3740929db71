package io.outpost.hub.camel.internal;

import io.outpost.hub.MessageStore;
import io.outpost.hub.StoredMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pump of one endpoint: on its own thread it polls the endpoint's durable queue and hands each message,
 * in order, to the route (whose producer delivers it), with a sliding window of messages in flight at once. A
 * delivered message is acknowledged (removed); one the endpoint rejects as invalid is dead-lettered; on a transient failure the delivered messages are acknowledged,
 * the rest released back to the queue in their order, and the pump waits with exponential back-off before it
 * tries again. Camel's own redelivery is not used: the queue, not memory, holds what is not yet delivered.
 */
final class StoreConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(StoreConsumer.class);
    /**
     * Longest wait of a pump with messages in flight for new messages: a finished delivery ends the wait at once
     * ({@link MessageStore#wakeUp}); this bounds it for a store that cannot wake its polls.
     */
    private static final Duration BUSY_POLL_LIMIT = Duration.ofMillis(100);

    private final StoreEndpoint.Options options;
    private final MessageStore store;
    private final String endpoint;
    private ExecutorService executor;
    private int failures;

    StoreConsumer(StoreEndpoint camelEndpoint, Processor processor) {
        super(camelEndpoint, processor);
        this.options = camelEndpoint.options();
        this.store = options.store();
        this.endpoint = options.endpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "outpost-pump " + endpoint);
        executor.execute(this::pump);
    }

    @Override
    protected void doStop() throws Exception {
        if (executor != null) {
            // The loop ends by itself after its current poll and batch; interrupt it only if that takes too long.
            executor.shutdown();
            if (!executor.awaitTermination(options.pollTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("pump-stop-timeout endpoint={}", endpoint);
                }
            }
            executor = null;
        }
        try {
            store.release(endpoint);
        } catch (RuntimeException e) {
            LOG.warn("pump-release-failed endpoint={}", endpoint, e);
        }
        super.doStop();
    }

    private void pump() {
        LOG.info("pump-started endpoint={}", endpoint);
        while (isRunAllowed() && !Thread.currentThread().isInterrupted()) {
            try {
                if (!new Flight().run()) {
                    pause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failed("store", e.getMessage());
                pause();
            }
        }
        LOG.info("pump-stopped endpoint={}", endpoint);
    }

    /**
     * A sliding window of deliveries: messages are taken from the queue and sent, in order, while fewer than
     * {@code window} await the endpoint's acknowledgement; each one acknowledged is removed from the queue as soon as
     * the pump sees it (in one commit with the others seen at the same time), one the endpoint refused as invalid is
     * dead-lettered. After a transient failure nothing more is sent; once what is in flight has finished, what was
     * delivered is acknowledged, the rest goes back to the queue in its order, and {@link #run} answers false.
     */
    private final class Flight {
        private final BlockingQueue<Exchange> finished = new LinkedBlockingQueue<>();
        private final List<String> delivered = new ArrayList<>();
        private int inFlight;
        private String failure;
        /** Set as soon as a delivery fails transiently, so that nothing more is sent after it. */
        private volatile boolean stopped;

        boolean run() throws InterruptedException {
            try {
                while (isRunAllowed() && failure == null && !stopped) {
                    if (inFlight < options.window()) {
                        // waits for new messages; a delivery that finishes meanwhile ends the wait (finish wakes it)
                        Duration wait = inFlight == 0 || options.pollTimeout().compareTo(BUSY_POLL_LIMIT) < 0
                                ? options.pollTimeout() : BUSY_POLL_LIMIT;
                        List<StoredMessage> batch = store.poll(endpoint, Math.min(options.maxBatch(),
                                options.window() - inFlight), wait);
                        for (StoredMessage message : batch) {
                            if (stopped) {
                                break; // a transient failure came back: what is left goes back to the queue
                            }
                            send(message);
                        }
                    } else {
                        settle(finished.take());
                    }
                    settleFinished();
                }
            } finally {
                // stopping or failed: let what is in flight finish, then settle it
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.pollTimeout().toMillis()
                        + 5_000);
                while (inFlight > 0 && System.nanoTime() < deadline) {
                    settle(finished.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS));
                }
                acknowledge();
            }
            if (failure != null) {
                store.release(endpoint);
                failed("endpoint", failure);
                return false;
            }
            return true;
        }

        private void send(StoredMessage message) {
            Exchange exchange = createExchange(false);
            exchange.getIn().setBody(message);
            exchange.getIn().setMessageId(message.id());
            exchange.getIn().setHeader(SenderComponent.ENDPOINT_HEADER, endpoint);
            inFlight++;
            try {
                getAsyncProcessor().process(exchange, doneSync -> finish(exchange));
            } catch (RuntimeException e) {
                exchange.setException(e);
                finish(exchange);
            }
        }

        private void finish(Exchange exchange) {
            if (exchange.getException() != null && Failures.invalidReason(exchange) == null) {
                stopped = true;
            }
            finished.add(exchange);
            store.wakeUp(endpoint);
        }

        /** Settles every delivery that finished, without waiting, and acknowledges the delivered ones at once. */
        private void settleFinished() {
            Exchange exchange;
            while ((exchange = finished.poll()) != null) {
                settle(exchange);
            }
            acknowledge();
        }

        private void settle(Exchange exchange) {
            if (exchange == null) {
                return;
            }
            inFlight--;
            try {
                String id = exchange.getIn().getMessageId();
                if (exchange.getException() == null && exchange.getProperty(Failures.INVALID_REASON) == null) {
                    delivered.add(id);
                    failures = 0;
                    return;
                }
                String invalid = Failures.invalidReason(exchange);
                if (invalid != null) {
                    store.setInvalid(endpoint, List.of(id), invalid);
                    LOG.warn("message-dead-lettered endpoint={} id={} reason=\"{}\"", endpoint, id, invalid);
                } else if (failure == null) {
                    failure = Failures.describe(exchange.getException());
                }
            } finally {
                releaseExchange(exchange, false);
            }
        }

        private void acknowledge() {
            if (!delivered.isEmpty()) {
                store.ack(endpoint, List.copyOf(delivered));
                delivered.clear();
            }
        }
    }

    private void failed(String where, String error) {
        failures++;
        long retryMs = options.backoff().delay(failures - 1).toMillis();
        if (failures == 1 || failures % 10 == 0) {
            LOG.warn("delivery-failed endpoint={} in={} failures={} retryInMs={} error=\"{}\"", endpoint, where,
                    failures, retryMs, error);
        }
    }

    /** Backs off; the store ends the pause early when the endpoint became reachable again (a module subscribed). */
    private void pause() {
        Duration delay = options.backoff().delay(Math.max(0, failures - 1));
        try {
            store.awaitWakeUp(endpoint, delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("pump-pause-failed endpoint={} error=\"{}\"", endpoint, e.getMessage());
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
