package io.outpost.agent.internal;

import io.outpost.common.Backoff;
import io.outpost.common.OutpostException;
import io.outpost.container.ContainerEngine;
import io.outpost.container.ContainerEvent;
import io.outpost.container.ContainerLabels;
import io.outpost.container.StreamListener;
import io.outpost.container.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the engine's events about this device's containers and calls {@code onDeath} when one dies
 * ({@code die}, {@code oom}, {@code kill}, {@code stop}), so that the agent reconciles at once instead of at its
 * next periodic pass. When the stream fails or ends (the engine went away or restarted) it subscribes again
 * after a back-off, from the time of the last event seen so that nothing in between is lost, and calls
 * {@code onDeath} too (a pass catches up whatever happened meanwhile). An outage is logged once: at its first
 * failure, and when events flow again.
 */
final class EngineEventWatch implements AutoCloseable {

    /** The engine's actions that mean a container stopped running. */
    static final Set<String> DEATHS = Set.of("die", "oom", "kill", "stop");

    private static final Logger LOG = LoggerFactory.getLogger(EngineEventWatch.class);

    private final ContainerEngine engine;
    private final String deviceId;
    private final ScheduledExecutorService scheduler;
    private final Runnable onDeath;
    private final Backoff backoff;
    private Optional<Subscription> subscription = Optional.empty();
    private Optional<Listener> listener = Optional.empty();
    private volatile Optional<Instant> lastSeen = Optional.empty();
    private int failures;
    private boolean outage;
    private boolean closed;

    EngineEventWatch(ContainerEngine engine, String deviceId, ScheduledExecutorService scheduler, Runnable onDeath,
            Backoff backoff) {
        this.engine = engine;
        this.deviceId = deviceId;
        this.scheduler = scheduler;
        this.onDeath = onDeath;
        this.backoff = backoff;
    }

    /** Subscribes to the engine's events; failures are retried in the background. */
    synchronized void start() {
        if (closed) {
            return;
        }
        Listener next = new Listener();
        listener = Optional.of(next);
        try {
            subscription = Optional.of(engine.events(lastSeen, next));
        } catch (OutpostException e) {
            failed(next, e.getMessage());
        }
    }

    private synchronized void failed(Listener from, String reason) {
        if (closed || listener.filter(l -> l == from).isEmpty()) {
            return; // closed, or an older subscription's late word
        }
        listener = Optional.empty();
        subscription.ifPresent(Subscription::close);
        subscription = Optional.empty();
        Duration delay = backoff.delay(Math.min(failures++, 30));
        if (!outage) {
            outage = true;
            LOG.warn("engine-events-lost reason=\"{}\" retryMs={} since={}", reason, delay.toMillis(),
                    lastSeen.map(Instant::toString).orElse("now"));
        } else {
            LOG.debug("engine-events-retry reason=\"{}\" retryMs={}", reason, delay.toMillis());
        }
        try {
            scheduler.schedule(this::resubscribe, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            closed = true; // the agent is stopping
        }
    }

    private void resubscribe() {
        start();
        onDeath.run();
    }

    private synchronized void seen(ContainerEvent event) {
        lastSeen = Optional.of(event.time());
        failures = 0;
        if (outage) {
            outage = false;
            LOG.info("engine-events-resumed since={}", event.time());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        listener = Optional.empty();
        subscription.ifPresent(Subscription::close);
        subscription = Optional.empty();
    }

    /** One subscription's listener; a failed subscription's listener is replaced by the next one's. */
    private final class Listener implements StreamListener<ContainerEvent> {

        @Override
        public void onNext(ContainerEvent event) {
            seen(event);
            if (deviceId.equals(event.attributes().get(ContainerLabels.DEVICE)) && DEATHS.contains(event.action())) {
                LOG.debug("module-died module={} action={} exitCode={}", event.module(), event.action(),
                        event.exitCode().isPresent() ? event.exitCode().getAsInt() : "");
                onDeath.run();
            }
        }

        @Override
        public void onComplete() {
            failed(this, "event stream ended");
        }

        @Override
        public void onError(OutpostException error) {
            failed(this, error.getMessage());
        }
    }
}
