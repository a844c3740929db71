package io.outpost.hub.camel.internal;

import io.outpost.common.DaemonThreads;
import io.outpost.hub.EndpointSender;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.MessageStore;
import io.outpost.hub.UpstreamSender;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * Owns the hub's CamelContext ({@value #CONTEXT_NAME}): starts it, registers it as an OSGi service (which is
 * how {@code camel:route-list} finds it), and keeps one {@code out-<endpoint>} route per endpoint the router's
 * routes lead to, reconciled on its own thread whenever they change. Stopped on deactivation.
 */
@Component(immediate = true, configurationPid = HubCamelComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HubCamelComponent.Config.class)
public class HubCamelComponent {

    static final String PID = "io.outpost.hub.camel";
    static final String CONTEXT_NAME = "outpost-hub";
    private static final Logger LOG = LoggerFactory.getLogger(HubCamelComponent.class);

    @ObjectClassDefinition(id = PID, name = "Outpost hub Camel routes",
            description = "The pumps that deliver each endpoint's durable queue")
    public @interface Config {
        @AttributeDefinition(description = "Messages a pump takes from its queue at a time")
        int maxBatch() default 100;

        @AttributeDefinition(description = "Messages a pump has in flight to its endpoint at once, awaiting "
                + "acknowledgements (a module's MQTT 5 Receive Maximum, when lower, limits it further)")
        int window() default 16;

        @AttributeDefinition(description = "Milliseconds a pump waits for a message before it looks again")
        long pollTimeoutMs() default 1000;

        @AttributeDefinition(description = "First wait after a failed delivery, in milliseconds, doubled per failure")
        long backoffInitialMs() default 1000;

        @AttributeDefinition(description = "Longest wait after failed deliveries, in milliseconds")
        long backoffMaxMs() default 60000;

        @AttributeDefinition(description = "Longest wait after failed deliveries to a module input, in milliseconds "
                + "(at most backoffMaxMs): a module that connects again is served within this time")
        long moduleBackoffMaxMs() default 2000;

        @AttributeDefinition(description = "Keep the $upstream route stopped while no cloud link is registered: its "
                + "queue holds messages; false: the route runs and retries with back-off")
        boolean holdUpstream() default true;
    }

    private final CamelContext context;
    private final HubRoutes routes;
    private final MessageRouter router;
    private final ExecutorService reconciler;
    private final ServiceRegistration<CamelContext> registration;
    private final AutoCloseable subscription;
    private volatile boolean closing;

    @Activate
    public HubCamelComponent(@Reference MessageStore store, @Reference MessageRouter router,
            @Reference EndpointSender sender, Config config, BundleContext bundleContext) throws Exception {
        HubRoutes.Options options = options(config);
        this.router = router;
        this.context = OsgiCamelContexts.create(bundleContext, CONTEXT_NAME);
        this.routes = new HubRoutes(context, store, sender, options);
        context.start();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("camel.context.name", CONTEXT_NAME);
        this.registration = bundleContext.registerService(CamelContext.class, context, props);
        this.reconciler = Executors.newSingleThreadExecutor(DaemonThreads.named("outpost-hub-camel"));
        this.subscription = router.subscribe(endpoints -> reconciler.execute(this::reconcile));
        LOG.info("camel-context-started name={} options={}", CONTEXT_NAME, options);
    }

    static HubRoutes.Options options(Config c) {
        if (c.maxBatch() < 1 || c.window() < 1 || c.pollTimeoutMs() < 1 || c.backoffInitialMs() < 1
                || c.backoffMaxMs() < c.backoffInitialMs() || c.moduleBackoffMaxMs() < 1) {
            throw new IllegalArgumentException("maxBatch, window, pollTimeoutMs, backoffInitialMs and moduleBackoffMaxMs "
                    + "must be positive "
                    + "and backoffMaxMs at least backoffInitialMs: " + c.maxBatch() + ", " + c.window() + ", "
                    + c.pollTimeoutMs() + ", " + c.backoffInitialMs() + ", " + c.backoffMaxMs() + ", "
                    + c.moduleBackoffMaxMs());
        }
        return new HubRoutes.Options(c.maxBatch(), c.window(), c.pollTimeoutMs(), c.backoffInitialMs(),
                c.backoffMaxMs(), c.moduleBackoffMaxMs(), c.holdUpstream());
    }

    /** The cloud link appeared: {@code $upstream}'s route runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindUpstream(UpstreamSender link) {
        linkChanged(true);
    }

    void unbindUpstream(UpstreamSender link) {
        linkChanged(false);
    }

    private void linkChanged(boolean linked) {
        if (closing) {
            return;
        }
        reconciler.execute(() -> {
            try {
                routes.upstreamLinked(linked);
            } catch (Exception e) {
                LOG.warn("camel-upstream-route-change-failed linked={}", linked, e);
            }
        });
    }

    /** Reads the router's endpoints now, so that a burst of changes ends in the last state. */
    private void reconcile() {
        try {
            routes.reconcile(router.endpoints());
        } catch (Exception e) {
            LOG.warn("camel-routes-reconcile-failed", e);
        }
    }

    @Deactivate
    void deactivate() {
        closing = true;
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.warn("router-unsubscribe-failed", e);
        }
        reconciler.shutdownNow();
        try {
            if (!reconciler.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("camel-reconciler-stop-timeout");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        registration.unregister();
        context.stop();
        LOG.info("camel-context-stopped name={}", CONTEXT_NAME);
    }
}
