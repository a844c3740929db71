package io.outpost.hub.internal;

import io.outpost.common.DurableFiles;
import io.outpost.common.OutpostException;
import io.outpost.deployment.DeploymentListener;
import io.outpost.deployment.DesiredState;
import io.outpost.hub.IncomingMessage;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.hub.RouteDefinition;
import io.outpost.hub.RouteResult;
import io.outpost.hub.RouterStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the {@link Router} as the {@link MessageRouter} service, and takes its routes from the running
 * deployment: as a {@link DeploymentListener} it replaces every route with the {@code $edgeHub} routes of
 * each deployment the agent runs. A deployment whose routes do not all compile leaves the routes as they were.
 *
 * <p>The last deployment whose routes were applied is kept in the bundle's data area and its routes are loaded
 * before the service is registered, so the hub's listener (which needs this service) never opens with an empty
 * route table after a restart: a message acknowledged at start-up is routed as before, not dropped as unrouted.
 */
@Component(service = {MessageRouter.class, DeploymentListener.class})
public class RouterComponent implements MessageRouter, DeploymentListener {

    static final String LAST_ROUTES_FILE = "last-deployment-routes.json";
    private static final Logger LOG = LoggerFactory.getLogger(RouterComponent.class);

    private final Router router;
    private final Path lastDeployment;

    @Activate
    public RouterComponent(@Reference MessageStore store, BundleContext context) {
        this(store, context.getDataFile(LAST_ROUTES_FILE).toPath());
    }

    /** A router whose last applied deployment is kept in {@code lastDeployment}, loaded now when it exists. */
    RouterComponent(MessageStore store, Path lastDeployment) {
        this.router = new Router(store);
        this.lastDeployment = lastDeployment;
        if (Files.isRegularFile(lastDeployment)) {
            try {
                DesiredState last = DesiredState.ofContent(Files.readAllBytes(lastDeployment), "last-applied");
                if (apply(last)) {
                    LOG.info("deployment-routes-restored routes={}", router.routes().size());
                }
            } catch (IOException e) {
                LOG.warn("deployment-routes-unrestorable file={} error=\"{}\"", lastDeployment, e.getMessage());
            }
        }
    }

    @Override
    public void deploymentChanged(DesiredState running) {
        if (apply(running)) {
            LOG.info("deployment-routes-applied version={} routes={}", running.version(), router.routes().size());
            try {
                DurableFiles.replace(lastDeployment, running.manifest(), DurableFiles.OWNER_ONLY);
            } catch (IOException e) {
                LOG.warn("deployment-routes-not-kept file={} error=\"{}\"", lastDeployment, e.getMessage());
            }
        }
    }

    /** Replaces the routes with the deployment's; false (routes unchanged) when they are unreadable or refused. */
    private boolean apply(DesiredState deployment) {
        Optional<ManifestRoutes> routes = ManifestRoutes.of(deployment);
        if (routes.isEmpty()) {
            LOG.warn("deployment-routes-unreadable version={}", deployment.version());
            return false;
        }
        try {
            router.replaceAll(routes.get().routes(), routes.get().globalTtl());
            return true;
        } catch (OutpostException e) {
            LOG.warn("deployment-routes-refused version={} error=\"{}\"", deployment.version(), e.getMessage());
            return false;
        }
    }

    @Override
    public RouteResult route(IncomingMessage message) {
        return router.route(message);
    }

    @Override
    public java.util.concurrent.CompletionStage<RouteResult> routeAsync(IncomingMessage message) {
        return router.routeAsync(message);
    }

    @Override
    public List<RouteDefinition> routes() {
        return router.routes();
    }

    @Override
    public void putRoute(RouteDefinition route) {
        router.putRoute(route);
    }

    @Override
    public void removeRoute(String name) {
        router.removeRoute(name);
    }

    @Override
    public Set<String> endpoints() {
        return router.endpoints();
    }

    @Override
    public RouterStats stats() {
        return router.stats();
    }

    @Override
    public AutoCloseable subscribe(Consumer<Set<String>> listener) {
        return router.subscribe(listener);
    }
}
