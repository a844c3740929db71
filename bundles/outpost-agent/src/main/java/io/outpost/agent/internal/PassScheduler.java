package io.outpost.agent.internal;

import io.outpost.common.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Queues the agent's extra reconcile passes on its single loop thread, where the periodic passes also run, so
 * that two passes never overlap. A pass asked for {@link #passSoon() soon} is coalesced: however many requests
 * arrive before it starts (a burst of engine events), one pass runs. A pass asked for {@link #passAt at a time}
 * (when a restart's cool-off ends) replaces a later one already planned.
 */
final class PassScheduler {

    private final ScheduledExecutorService loop;
    private final Runnable pass;
    private final Clock clock;
    private final AtomicBoolean queued = new AtomicBoolean();
    private Optional<ScheduledFuture<?>> wake = Optional.empty();
    private Instant wakeAt = Instant.MAX;

    PassScheduler(ScheduledExecutorService loop, Runnable pass, Clock clock) {
        this.loop = loop;
        this.pass = pass;
        this.clock = clock;
    }

    /** One pass as soon as the loop is free; nothing more if one is already queued and not yet started. */
    void passSoon() {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        try {
            loop.execute(() -> {
                queued.set(false);
                pass.run();
            });
        } catch (RejectedExecutionException e) {
            queued.set(false); // the agent is stopping
        }
    }

    /** One pass at {@code when}, unless a pass is already planned at or before it. */
    synchronized void passAt(Instant when) {
        if (wake.filter(w -> !w.isDone()).isPresent() && !when.isBefore(wakeAt)) {
            return;
        }
        wake.ifPresent(w -> w.cancel(false));
        long delayMs = Math.max(0, Duration.between(clock.now(), when).toMillis());
        try {
            wake = Optional.of(loop.schedule(pass, delayMs, TimeUnit.MILLISECONDS));
            wakeAt = when;
        } catch (RejectedExecutionException e) {
            wake = Optional.empty(); // the agent is stopping
        }
    }
}
