package io.outpost.hub.internal;

import io.outpost.common.OutpostException;
import io.outpost.deployment.DeploymentListener;
import io.outpost.deployment.DesiredState;
import io.outpost.hub.IncomingMessage;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.hub.RouteDefinition;
import io.outpost.hub.RouteResult;
import io.outpost.hub.RouterStats;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the {@link Router} as the {@link MessageRouter} service, and takes its routes from the running
 * deployment: as a {@link DeploymentListener} it replaces every route with the {@code $edgeHub} routes of
 * each deployment the agent runs. A deployment whose routes do not all compile leaves the routes as they were.
 */
@Component(service = {MessageRouter.class, DeploymentListener.class})
public class RouterComponent implements MessageRouter, DeploymentListener {

    private static final Logger LOG = LoggerFactory.getLogger(RouterComponent.class);

    private final Router router;

    @Activate
    public RouterComponent(@Reference MessageStore store) {
        this.router = new Router(store);
    }

    @Override
    public void deploymentChanged(DesiredState running) {
        Optional<ManifestRoutes> routes = ManifestRoutes.of(running);
        if (routes.isEmpty()) {
            LOG.warn("deployment-routes-unreadable version={}", running.version());
            return;
        }
        try {
            router.replaceAll(routes.get().routes(), routes.get().globalTtl());
            LOG.info("deployment-routes-applied version={} routes={}", running.version(), routes.get().routes().size());
        } catch (OutpostException e) {
            LOG.warn("deployment-routes-refused version={} error=\"{}\"", running.version(), e.getMessage());
        }
    }

    @Override
    public RouteResult route(IncomingMessage message) {
        return router.route(message);
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
