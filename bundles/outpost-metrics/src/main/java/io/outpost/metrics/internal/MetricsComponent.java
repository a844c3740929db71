package io.outpost.metrics.internal;

import io.outpost.deployment.DeploymentService;
import io.outpost.hub.ConnectedClients;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.hub.UpstreamSender;
import java.nio.file.Path;
import java.util.Optional;
import org.osgi.framework.BundleContext;
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
 * Serves the edge's metrics ({@link EdgeMetrics}) on {@code http://<host>:<port>/metrics}. Every service it
 * reads is optional and followed dynamically: metrics of a service appear and disappear with it.
 */
@Component(immediate = true, service = {}, configurationPid = MetricsComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MetricsComponent.Config.class)
public class MetricsComponent implements MetricSources {

    static final String PID = "io.outpost.metrics";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsComponent.class);

    @ObjectClassDefinition(id = PID, name = "Outpost metrics",
            description = "Prometheus metrics of the edge under Azure IoT Edge's names")
    public @interface Config {
        @AttributeDefinition(description = "Address the metrics listener binds; keep it on loopback unless a "
                + "scraper elsewhere needs it")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "Port of GET /metrics (Azure IoT Edge uses 9600); 0: no listener")
        int port() default 9600;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MessageStore store;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MessageRouter router;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConnectedClients clients;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile UpstreamSender upstream;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeploymentService deployments;

    private Path dataDir;
    private MetricsServer server;

    @Activate
    void activate(Config config, BundleContext context) {
        String karafData = context.getProperty("karaf.data");
        this.dataDir = Path.of(karafData == null ? "data" : karafData).toAbsolutePath();
        if (config.port() < 0 || config.port() > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + config.port());
        }
        if (config.host() == null || config.host().isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (config.port() == 0) {
            LOG.info("metrics-listener-off reason=\"port is 0\"");
            return;
        }
        EdgeMetrics metrics = new EdgeMetrics(this);
        server = new MetricsServer(config.host().trim(), config.port(), metrics::scrape, MetricsServer.BIND_RETRY);
    }

    @Deactivate
    void deactivate() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    public Optional<MessageStore> store() {
        return Optional.ofNullable(store);
    }

    @Override
    public Optional<MessageRouter> router() {
        return Optional.ofNullable(router);
    }

    @Override
    public Optional<ConnectedClients> clients() {
        return Optional.ofNullable(clients);
    }

    @Override
    public Optional<UpstreamSender> upstream() {
        return Optional.ofNullable(upstream);
    }

    @Override
    public Optional<DeploymentService> deployments() {
        return Optional.ofNullable(deployments);
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }
}
