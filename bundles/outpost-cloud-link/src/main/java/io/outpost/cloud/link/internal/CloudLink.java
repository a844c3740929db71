package io.outpost.cloud.link.internal;

import io.outpost.common.Clock;
import io.outpost.common.DaemonThreads;
import io.outpost.deployment.DeploymentListener;
import io.outpost.deployment.DeploymentService;
import io.outpost.hub.CloudToDevice;
import io.outpost.hub.ConnectedClients;
import io.outpost.hub.MethodInvoker;
import io.outpost.hub.Twins;
import io.outpost.hub.UpstreamSender;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's link to the cloud, built without OSGi (the DS component and tests start it the same way): one
 * connection per identity it speaks for ({@code <d>/$edgeAgent}, {@code <d>/$edgeHub}, the device {@code <d>} and,
 * {@code <d>/<module>} for each module of the deployment or that sends upstream), the twins of the first two as the
 * agent's desired-state source and reported state ({@link EdgeTwins}), the module twins and direct methods
 * ({@link ModuleLinks}), one connection {@code <leaf>} per leaf device registered on the edge with its twin, direct
 * methods and cloud-to-device messages ({@link LeafLinks}), and the {@code $upstream} relay ({@link UpstreamRelay}).
 */
final class CloudLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CloudLink.class);
    /** Direct methods relayed at once, and waiting beyond those (more are answered 429). */
    static final int METHOD_THREADS = 4;
    static final int METHOD_QUEUE = 64;
    static final List<String> TWIN_FILTERS = List.of(TwinRequests.RES_FILTER, TwinRequests.DESIRED_FILTER);

    private final LinkSettings settings;
    private final ScheduledExecutorService timers;
    private final ExecutorService work;
    private final ThreadPoolExecutor methods;
    private final ModuleLinks modules;
    private final LeafLinks leaves;
    private final Supplier<Collection<String>> leafIds;
    private final EdgeTwins twins;
    private final UpstreamRelay relay;
    private final CloudConnection agent;
    private final CloudConnection hub;
    private final CloudConnection device;

    CloudLink(LinkSettings settings, DeploymentService deployments, Clock clock, String runtimeVersion) {
        this(settings, deployments, () -> null, () -> null, clock, runtimeVersion);
    }

    CloudLink(LinkSettings settings, DeploymentService deployments, Supplier<Twins> hubTwins,
            Supplier<MethodInvoker> invoker, Clock clock, String runtimeVersion) {
        this(settings, deployments, hubTwins, invoker, () -> null, () -> null, List::of, clock, runtimeVersion);
    }

    /**
     * @param hubTwins the hub's twins (module reported properties go up from there), null while there is no hub
     * @param invoker  the hub's direct methods (cloud calls on modules go there), null while there is no hub
     * @param c2d      the hub's delivery of cloud-to-device messages to leaf devices, null while there is no hub
     * @param clients  the hub's connected clients (a leaf's cloud-to-device messages are taken from the cloud only
     *     while it is connected there and subscribed to them), null while there is no hub
     * @param leafIds  the leaf devices registered on this edge (checked every report interval)
     */
    CloudLink(LinkSettings settings, DeploymentService deployments, Supplier<Twins> hubTwins,
            Supplier<MethodInvoker> invoker, Supplier<CloudToDevice> c2d, Supplier<ConnectedClients> clients,
            Supplier<Collection<String>> leafIds, Clock clock, String runtimeVersion) {
        this.settings = settings;
        this.timers = Executors.newScheduledThreadPool(2, DaemonThreads.named("outpost-cloud-link"));
        this.work = Executors.newSingleThreadExecutor(DaemonThreads.named("outpost-cloud-link-twins"));
        this.methods = new ThreadPoolExecutor(METHOD_THREADS, METHOD_THREADS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(METHOD_QUEUE), DaemonThreads.named("outpost-cloud-link-methods"));
        String d = settings.connection().deviceId();
        this.modules = new ModuleLinks(settings, timers, work, methods, hubTwins, invoker);
        this.leaves = new LeafLinks(settings, timers, work, methods, hubTwins, invoker, c2d, clients);
        this.leafIds = leafIds;
        this.twins = new EdgeTwins(deployments, work, settings.publishTimeout().toMillis(), runtimeVersion, modules);
        this.agent = new CloudConnection(settings, d + "/$edgeAgent", TWIN_FILTERS, twins, timers);
        this.hub = new CloudConnection(settings, d + "/$edgeHub", TWIN_FILTERS, twins, timers);
        twins.connections(agent, hub);
        UpstreamRelay[] self = new UpstreamRelay[1];
        OfflineTracker offline = new OfflineTracker(clock);
        CloudConnection.Listener relayListener = new CloudConnection.Listener() {
            @Override
            public void connected(CloudConnection c) {
                self[0].connected(c);
            }

            @Override
            public void disconnected(CloudConnection c, String reason) {
                self[0].disconnected(c, reason);
            }

            @Override
            public void message(CloudConnection c, String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) {
            }
        };
        this.device = new CloudConnection(settings, d, List.of(), relayListener, timers);
        this.relay = new UpstreamRelay(d, settings.target(), device, modules::connection, offline,
                settings.publishTimeout().toMillis(), settings.maxMessageBytes());
        relay.leafConnections(leaves::connection);
        self[0] = relay;
    }

    void start() {
        device.start();
        agent.start();
        hub.start();
        long every = settings.reportInterval().toMillis();
        timers.execute(this::retainLeaves);
        timers.scheduleWithFixedDelay(() -> {
            twins.reportSoon();
            modules.reportSoon();
            retainLeaves();
            leaves.reportSoon();
            leaves.c2dSoon();
        }, every, every, TimeUnit.MILLISECONDS);
        if (settings.x509()) {
            LOG.info("cloud-link-started target={} auth=x509 certificate={}", settings.target(),
                    settings.clientCertificate().get().certificate());
        } else {
            LOG.info("cloud-link-started target={} auth=sas tokenTtl={}", settings.target(), settings.tokenTtl());
        }
    }

    private void retainLeaves() {
        try {
            leaves.retain(leafIds.get());
        } catch (RuntimeException e) {
            LOG.info("cloud-leaf-list-failed error=\"{}\"", e.getMessage());
        }
    }

    /** Whether the leaf's cloud connection takes its cloud-to-device messages now. */
    boolean leafC2dSubscribed(String leaf) {
        return leaves.c2dSubscribed(leaf);
    }

    UpstreamSender upstream() {
        return relay;
    }

    /** Reports the new deployment's state right away. */
    DeploymentListener deploymentListener() {
        return running -> twins.reportSoon();
    }

    @Override
    public void close() {
        work.shutdownNow();
        methods.shutdownNow();
        agent.close();
        hub.close();
        device.close();
        modules.close();
        leaves.close();
        timers.shutdownNow();
        try {
            if (!timers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("cloud-link-threads-still-running");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("cloud-link-stopped target={}", settings.target());
    }
}
