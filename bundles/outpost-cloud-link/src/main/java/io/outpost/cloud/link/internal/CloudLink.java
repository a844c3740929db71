package io.outpost.cloud.link.internal;

import io.outpost.common.Clock;
import io.outpost.common.DaemonThreads;
import io.outpost.deployment.DeploymentListener;
import io.outpost.deployment.DeploymentService;
import io.outpost.hub.UpstreamSender;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's link to the cloud, built without OSGi (the DS component and tests start it the same way): one
 * connection per identity it speaks for ({@code <d>/$edgeAgent}, {@code <d>/$edgeHub}, the device {@code <d>} and,
 * when they send upstream, {@code <d>/<module>}), the twins of the first two as the agent's desired-state source
 * and reported state ({@link EdgeTwins}), and the {@code $upstream} relay ({@link UpstreamRelay}).
 */
final class CloudLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CloudLink.class);
    static final List<String> TWIN_FILTERS = List.of(TwinRequests.RES_FILTER, TwinRequests.DESIRED_FILTER);

    private final LinkSettings settings;
    private final ScheduledExecutorService timers;
    private final ExecutorService work;
    private final EdgeTwins twins;
    private final UpstreamRelay relay;
    private final CloudConnection agent;
    private final CloudConnection hub;
    private final CloudConnection device;

    CloudLink(LinkSettings settings, DeploymentService deployments, Clock clock, String runtimeVersion) {
        this.settings = settings;
        this.timers = Executors.newScheduledThreadPool(2, DaemonThreads.named("outpost-cloud-link"));
        this.work = Executors.newSingleThreadExecutor(DaemonThreads.named("outpost-cloud-link-twins"));
        String d = settings.connection().deviceId();
        this.twins = new EdgeTwins(deployments, work, settings.publishTimeout().toMillis(), runtimeVersion);
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
        this.relay = new UpstreamRelay(d, settings.target(), device, module -> {
            CloudConnection c = new CloudConnection(settings, d + "/" + module, List.of(), relayListener, timers);
            c.start();
            return c;
        }, offline, settings.publishTimeout().toMillis());
        self[0] = relay;
    }

    void start() {
        device.start();
        agent.start();
        hub.start();
        long every = settings.reportInterval().toMillis();
        timers.scheduleWithFixedDelay(twins::reportSoon, every, every, TimeUnit.MILLISECONDS);
        LOG.info("cloud-link-started target={} tokenTtl={}", settings.target(), settings.tokenTtl());
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
        agent.close();
        hub.close();
        device.close();
        relay.moduleConnections().forEach(CloudConnection::close);
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
