package io.outpost.agent.internal;

import io.outpost.common.Backoff;
import io.outpost.common.Clock;
import io.outpost.common.DaemonThreads;
import io.outpost.container.ContainerEngine;
import io.outpost.deployment.DeploymentListener;
import io.outpost.deployment.DeploymentService;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.DesiredState;
import io.outpost.security.ModuleProvisioning;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge agent as an OSGi service: restores the stored deployment, then reconciles on its own thread right
 * away when a new desired state is applied, when the engine reports that one of the device's containers died,
 * when a restart's cool-off ends, and every few seconds as a safety net.
 */
@Component(immediate = true, service = DeploymentService.class, configurationPid = "io.outpost.agent",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AgentComponent.Config.class)
public class AgentComponent implements DeploymentService {

    private static final Logger LOG = LoggerFactory.getLogger(AgentComponent.class);

    @ObjectClassDefinition(name = "Outpost agent", description = "Reconciles the device with its deployment")
    public @interface Config {
        @AttributeDefinition(description = "Device id written on containers; empty: the host name")
        String deviceId() default "";

        @AttributeDefinition(description = "Folder of the stored deployments; empty: ${karaf.data}/outpost/agent")
        String dataDir() default "";

        @AttributeDefinition(description = "Seconds between periodic reconcile passes, the safety net: engine events "
                + "about a container that stopped trigger a pass at once")
        int reconcileIntervalSecs() default 5;

        @AttributeDefinition(description = "Seconds a module gets to stop before it is killed")
        int stopTimeoutSecs() default 10;

        @AttributeDefinition(description = "First restart cool-off in seconds, doubled per restart")
        int restartBackoffInitialSecs() default 10;

        @AttributeDefinition(description = "Longest restart cool-off in seconds")
        int restartBackoffMaxSecs() default 300;

        @AttributeDefinition(description = "Restarts after which a module is failed and left alone")
        int maxRestarts() default 20;

        @AttributeDefinition(description = "Seconds of continuous running that clear a module's restart count")
        int restartCountResetSecs() default 600;

        @AttributeDefinition(description = "Seconds to wait for a startupOrder group before starting the next anyway")
        int startupWaitSecs() default 60;

        @AttributeDefinition(description = "Seconds a new deployment has to converge before rollback applies")
        int rollbackWindowSecs() default 120;

        @AttributeDefinition(description = "What to do when a deployment does not converge: rollback or keep")
        String rollbackPolicy() default "rollback";
    }

    /** The delay of the pass that follows a pass which changed the engine. */
    private static final Duration FOLLOW_UP = Duration.ofMillis(500);
    /** The wait before subscribing to the engine's events again after the stream failed. */
    private static final Backoff EVENTS_RETRY = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30));

    private final Reconciler reconciler;
    private final ScheduledExecutorService loop;
    private final PassScheduler passes;
    private final EngineEventWatch events;
    private final List<DeploymentListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Optional<String> notifiedVersion = Optional.empty();

    @Activate
    public AgentComponent(Config config, @Reference ContainerEngine engine, @Reference Clock clock,
            @Reference HostAccessPolicyComponent policyComponent,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            ModuleProvisioning provisioning) {
        AgentSettings settings = settings(config);
        HostAccessPolicy policy = policyComponent.policy();
        this.reconciler = new Reconciler(settings, engine, clock, new ModuleHooks(Optional.ofNullable(provisioning)),
                policy);
        this.loop = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("outpost-agent"));
        loop.execute(reconciler::restore);
        loop.execute(this::notifyIfChanged);
        this.passes = new PassScheduler(loop, this::safePass, clock);
        this.events = new EngineEventWatch(engine, settings.deviceId(), loop, passes::passSoon, EVENTS_RETRY);
        loop.execute(events::start);
        long interval = settings.reconcileInterval().toMillis();
        loop.scheduleWithFixedDelay(this::safePass, 0, interval, TimeUnit.MILLISECONDS);
        LOG.info("agent-started device={} dataDir={} intervalMs={} hostAccess={} allowedBindPaths={} allowedDevices={} "
                + "allowedCapabilities={}", settings.deviceId(), settings.dataDir(), interval,
                policy.mode().name().toLowerCase(Locale.ROOT), policy.allowedBindPaths().size(),
                policy.allowedDevices().size(), policy.allowedCapabilities().size());
    }

    @Deactivate
    void deactivate() {
        events.close();
        loop.shutdownNow();
        try {
            if (!loop.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("agent-stop-timeout");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public DeploymentStatus apply(DesiredState desired) {
        DeploymentStatus status = reconciler.apply(desired);
        loop.execute(this::safePass);
        return status;
    }

    @Override
    public DeploymentStatus status() {
        return reconciler.status();
    }

    @Override
    public void restartModule(String name) {
        reconciler.requestRestart(name);
        passes.passSoon();
    }

    private void safePass() {
        try {
            if (reconciler.pass() && !loop.isShutdown()) {
                // the engine changed: look again soon, so that progress is reported without a whole interval's wait
                loop.schedule(this::safePass, FOLLOW_UP.toMillis(), TimeUnit.MILLISECONDS);
            }
            reconciler.nextRestart().ifPresent(passes::passAt);
        } catch (RuntimeException e) {
            LOG.error("reconcile-pass-failed", e);
        }
        notifyIfChanged();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(DeploymentListener listener) {
        listeners.add(listener);
        if (!loop.isShutdown()) {
            loop.execute(() -> reconciler.running().ifPresent(s -> notify(listener, s)));
        }
    }

    void removeListener(DeploymentListener listener) {
        listeners.remove(listener);
    }

    /** Tells the listeners when the running deployment changed (accepted, restored or rolled back). */
    private void notifyIfChanged() {
        Optional<DesiredState> running = reconciler.running();
        if (running.isPresent() && !running.map(DesiredState::version).equals(notifiedVersion)) {
            notifiedVersion = running.map(DesiredState::version);
            listeners.forEach(l -> notify(l, running.get()));
        }
    }

    private static void notify(DeploymentListener listener, DesiredState running) {
        try {
            listener.deploymentChanged(running);
        } catch (RuntimeException e) {
            LOG.warn("deployment-listener-failed listener={} version={}", listener.getClass().getName(),
                    running.version(), e);
        }
    }

    static AgentSettings settings(Config c) {
        String deviceId = c.deviceId().isBlank() ? hostName() : c.deviceId().trim();
        Path dataDir = c.dataDir().isBlank()
                ? Path.of(System.getProperty("karaf.data", "data"), "outpost", "agent") : Path.of(c.dataDir());
        AgentSettings.RollbackPolicy policy;
        try {
            policy = AgentSettings.RollbackPolicy.valueOf(c.rollbackPolicy().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rollbackPolicy must be rollback or keep: " + c.rollbackPolicy(), e);
        }
        return new AgentSettings(deviceId, dataDir, secs(c.reconcileIntervalSecs()), secs(c.stopTimeoutSecs()),
                new Backoff(secs(c.restartBackoffInitialSecs()), 2.0, secs(c.restartBackoffMaxSecs())),
                c.maxRestarts(), secs(c.restartCountResetSecs()), secs(c.startupWaitSecs()),
                secs(c.rollbackWindowSecs()), policy);
    }

    private static Duration secs(int s) {
        return Duration.ofSeconds(s);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "outpost-edge";
        }
    }
}
