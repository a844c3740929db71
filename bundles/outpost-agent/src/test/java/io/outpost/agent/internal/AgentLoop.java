package io.outpost.agent.internal;

import io.outpost.common.Backoff;
import io.outpost.common.SystemClock;
import io.outpost.container.ContainerEngine;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.DesiredState;
import io.outpost.deployment.RuntimeStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Reconciler} driven as the agent component drives it, with short settings: a pass every second
 * (or the interval given) on its own thread, right after each apply, when the engine reports a death of one of
 * the device's containers, when a restart's cool-off ends and soon after a pass that changed the engine.
 * Counts completed passes so tests can wait for "a few more passes" instead of for a time.
 */
final class AgentLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentLoop.class);

    private final Reconciler reconciler;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong passes = new AtomicLong();
    /** Every (module, runtime status) pair a pass left in the agent's status, however briefly it stood. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final PassScheduler scheduler = new PassScheduler(thread, this::pass, SystemClock.INSTANCE);
    private final EngineEventWatch events;

    AgentLoop(AgentSettings settings, ContainerEngine engine) {
        this.reconciler = new Reconciler(settings, engine, SystemClock.INSTANCE);
        this.events = new EngineEventWatch(engine, settings.deviceId(), thread, scheduler::passSoon,
                new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(2)));
        thread.execute(reconciler::restore);
        thread.execute(events::start);
        thread.scheduleWithFixedDelay(this::pass, 0, settings.reconcileInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Quick settings: 1 s passes, 2 s stop timeout, restart back-off 1 s doubled up to 4 s. */
    static AgentSettings settings(String deviceId, Path dataDir, Duration rollbackWindow) {
        return settings(deviceId, dataDir, rollbackWindow, Duration.ofSeconds(1));
    }

    /** The quick settings with another reconcile interval. */
    static AgentSettings settings(String deviceId, Path dataDir, Duration rollbackWindow, Duration interval) {
        return new AgentSettings(deviceId, dataDir, interval, Duration.ofSeconds(2),
                new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(4)), 20, Duration.ofMinutes(10),
                Duration.ofSeconds(30), rollbackWindow, AgentSettings.RollbackPolicy.ROLLBACK);
    }

    DeploymentStatus apply(String version, byte[] manifest) {
        DeploymentStatus accepted = reconciler.apply(new DesiredState(version, manifest, "it"));
        thread.execute(this::pass);
        return accepted;
    }

    DeploymentStatus status() {
        return reconciler.status();
    }

    long passes() {
        return passes.get();
    }

    /** Whether a pass reported the module in this runtime status. */
    boolean reported(String module, RuntimeStatus status) {
        return reported.contains(module + "=" + status.wireName());
    }

    private void pass() {
        try {
            boolean changed = reconciler.pass();
            reconciler.status().modules().forEach(m -> reported.add(m.name() + "=" + m.runtimeStatus().wireName()));
            if (changed && !thread.isShutdown()) {
                thread.schedule(this::pass, 500, TimeUnit.MILLISECONDS); // as the component: report the change soon
            }
            reconciler.nextRestart().ifPresent(scheduler::passAt);
        } catch (RuntimeException e) {
            LOG.error("reconcile-pass-failed", e);
        }
        passes.incrementAndGet();
    }

    @Override
    public void close() throws InterruptedException {
        events.close();
        thread.shutdownNow();
        thread.awaitTermination(60, TimeUnit.SECONDS);
    }
}
