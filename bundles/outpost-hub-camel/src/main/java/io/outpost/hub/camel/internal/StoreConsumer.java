package io.outpost.hub.camel.internal;

import io.outpost.hub.MessageStore;
import io.outpost.hub.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pump of one endpoint: on its own thread it polls the endpoint's durable queue and hands each message,
 * in order, to the route (whose producer delivers it), with a window of messages in flight at once. A delivered message is acknowledged (removed); one the
 * endpoint rejects as invalid is dead-lettered; on a transient failure the delivered messages are acknowledged,
 * the rest released back to the queue in their order, and the pump waits with exponential back-off before it
 * tries again. Camel's own redelivery is not used: the queue, not memory, holds what is not yet delivered.
 */
final class StoreConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(StoreConsumer.class);

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
                List<StoredMessage> batch = store.poll(endpoint, options.maxBatch(), options.pollTimeout());
                if (!batch.isEmpty() && !deliver(batch)) {
                    pause();
                } else if (!batch.isEmpty()) {
                    failures = 0;
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
     * Delivers a batch in order with up to {@code window} messages in flight at once, then settles it: what the
     * endpoint took is acknowledged in one commit, what it refused as invalid is dead-lettered. After a transient
     * failure no further message is sent, the rest goes back to the queue in its order, and this answers false.
     */
    private boolean deliver(List<StoredMessage> batch) throws InterruptedException {
        Semaphore window = new Semaphore(options.window());
        AtomicBoolean stopped = new AtomicBoolean();
        List<Exchange> sent = new ArrayList<>(batch.size());
        CountDownLatch[] finished = new CountDownLatch[batch.size()];
        try {
            for (StoredMessage message : batch) {
                window.acquire();
                if (stopped.get()) {
                    window.release();
                    break;
                }
                Exchange exchange = createExchange(false);
                exchange.getIn().setBody(message);
                exchange.getIn().setMessageId(message.id());
                exchange.getIn().setHeader(SenderComponent.ENDPOINT_HEADER, endpoint);
                CountDownLatch done = new CountDownLatch(1);
                finished[sent.size()] = done;
                sent.add(exchange);
                try {
                    getAsyncProcessor().process(exchange, doneSync -> {
                        if (exchange.getException() != null && Failures.invalidReason(exchange) == null) {
                            stopped.set(true);
                        }
                        done.countDown();
                        window.release();
                    });
                } catch (RuntimeException e) {
                    exchange.setException(e);
                    stopped.set(true);
                    done.countDown();
                    window.release();
                }
            }
            for (int i = 0; i < sent.size(); i++) {
                finished[i].await();
            }
            return settle(sent);
        } finally {
            for (Exchange exchange : sent) {
                releaseExchange(exchange, false);
            }
        }
    }

    /** Acknowledges, dead-letters and releases the exchanges of a delivered window; false after a failure. */
    private boolean settle(List<Exchange> sent) {
        List<String> delivered = new ArrayList<>(sent.size());
        String failure = null;
        for (Exchange exchange : sent) {
            String id = exchange.getIn().getMessageId();
            if (exchange.getException() == null && exchange.getProperty(Failures.INVALID_REASON) == null) {
                delivered.add(id);
                continue;
            }
            String invalid = Failures.invalidReason(exchange);
            if (invalid != null) {
                store.setInvalid(endpoint, List.of(id), invalid);
                LOG.warn("message-dead-lettered endpoint={} id={} reason=\"{}\"", endpoint, id, invalid);
            } else if (failure == null) {
                failure = Failures.describe(exchange.getException());
            }
        }
        acknowledge(delivered);
        if (failure != null) {
            store.release(endpoint);
            failed("endpoint", failure);
            return false;
        }
        return true;
    }

    private void acknowledge(List<String> delivered) {
        if (!delivered.isEmpty()) {
            store.ack(endpoint, delivered);
            delivered.clear();
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

    private void pause() {
        try {
            Thread.sleep(options.backoff().delay(Math.max(0, failures - 1)).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
