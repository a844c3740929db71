package io.outpost.cloud.web.internal;

import io.outpost.cloud.CloudMessaging;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.TelemetryStore;
import io.outpost.cloud.TwinService;
import io.outpost.cloud.web.ApiTokens;
import io.outpost.common.Clock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import javax.servlet.Servlet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the REST API ({@code /api/v1/*}) and the dashboard ({@code /dashboard/*}) as servlets on the OSGi
 * HTTP Whiteboard (Karaf's {@code http-whiteboard} feature), and the API tokens as a service. On first start,
 * issues the initial admin token into a file readable by its owner only.
 */
@Component(configurationPid = "io.outpost.cloud.web", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
@Designate(ocd = CloudWebComponent.Config.class)
public final class CloudWebComponent {

    private static final Logger LOG = LoggerFactory.getLogger(CloudWebComponent.class);

    @ObjectClassDefinition(name = "Outpost Cloud web", description = "REST API, API tokens and dashboard")
    public @interface Config {
        @AttributeDefinition(description = "The API tokens (hashes only); ${karaf.etc} is Karaf's etc directory")
        String tokensFile() default "${karaf.etc}/outpost-cloud.tokens";

        @AttributeDefinition(description = "Where the initial admin token is written on first start (mode 600)")
        String initialTokenFile() default "${karaf.etc}/outpost-cloud.token";

        @AttributeDefinition(description = "Largest request body accepted, in bytes")
        int maxBodyBytes() default 4 * 1024 * 1024;

        @AttributeDefinition(description = "Serve the dashboard at /dashboard/")
        boolean dashboard() default true;
    }

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    /** The device endpoint's direct methods; absent while the endpoint is not running (calls answer 503). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CloudMessaging messaging;

    @Activate
    public CloudWebComponent(Config config, @Reference DeviceRegistry registry, @Reference TwinService twins,
            @Reference FleetDeploymentService deployments, @Reference TelemetryStore telemetry,
            @Reference(target = "(type=system)") Clock clock, BundleContext context) {
        if (config.maxBodyBytes() < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024: " + config.maxBodyBytes());
        }
        String etc = System.getProperty("karaf.etc", "etc");
        FileTokenStore tokens = new FileTokenStore(Path.of(config.tokensFile().replace("${karaf.etc}", etc)), clock);
        tokens.initialize(Path.of(config.initialTokenFile().replace("${karaf.etc}", etc)));
        registrations.add(context.registerService(ApiTokens.class, tokens, null));
        CloudApi api = new CloudApi(registry, twins, deployments, telemetry, () -> messaging);
        registrations.add(context.registerService(Servlet.class, new ApiServlet(api, tokens, config.maxBodyBytes()),
                whiteboard("outpost-cloud-api", "/api/v1/*")));
        if (config.dashboard()) {
            registrations.add(context.registerService(Servlet.class, new DashboardServlet(),
                    whiteboard("outpost-cloud-dashboard", "/dashboard/*")));
        }
        LOG.info("cloud-web-started api=/api/v1 dashboard={} tokensFile={}", config.dashboard() ? "/dashboard/" : "off",
                tokens.file());
    }

    private static Dictionary<String, Object> whiteboard(String name, String pattern) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.name", name);
        props.put("osgi.http.whiteboard.servlet.pattern", pattern);
        return props;
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
        LOG.info("cloud-web-stopped");
    }
}
