package io.outpost.cloud.endpoint.internal;

import io.outpost.cloud.CloudMessaging;
import io.outpost.cloud.CloudToDeviceQueue;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.TelemetryStore;
import io.outpost.cloud.TwinService;
import io.outpost.common.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Runs the device endpoint over the cloud store's services and registers {@link CloudMessaging}. A configuration
 * change restarts it (connections are dropped; devices reconnect).
 */
@Component(immediate = true, service = {}, configurationPid = EndpointComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EndpointComponent.Config.class)
public class EndpointComponent {

    static final String PID = "io.outpost.cloud.endpoint";

    @ObjectClassDefinition(id = PID, name = "Outpost Cloud device endpoint",
            description = "MQTT over TLS in IoT Hub's dialect for devices and edges")
    public @interface Config {
        @AttributeDefinition(description = "Address the TLS listener binds to")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "Port of MQTT over TLS (an edge hub on the same machine uses 8883)")
        int tlsPort() default 8884;

        @AttributeDefinition(description = "Host names and addresses the server certificate names, comma-separated")
        String hostnames() default "localhost,127.0.0.1";

        @AttributeDefinition(description = "Host name SAS tokens must be issued for (sr=<name>/devices/...); "
                + "empty: the hub the client's user name names")
        String hubHostName() default "";

        @AttributeDefinition(description = "Seconds ahead of now a SAS token may expire at most (default 365 days)")
        long maxTokenLifetimeSecs() default 31536000L;

        @AttributeDefinition(description = "Folder of the cloud CA and server certificate; empty: "
                + "${karaf.data}/outpost/cloud/endpoint")
        String dataDir() default "";

        @AttributeDefinition(description = "Where the CA certificate edges trust is written; empty: "
                + "<dataDir>/trust-bundle.pem")
        String trustBundleFile() default "";

        @AttributeDefinition(description = "Milliseconds between checks of connected clients' desired properties")
        int desiredPollMs() default 1000;

        @AttributeDefinition(description = "Seconds between applications of fleet deployments to every device")
        int fleetApplySecs() default 30;

        @AttributeDefinition(description = "Seconds between writes of a device's last activity")
        int touchSecs() default 10;

        @AttributeDefinition(description = "Threads that run store operations for connected clients")
        int dbThreads() default 4;

        @AttributeDefinition(description = "Connections served at once")
        int maxConnections() default 10000;

        @AttributeDefinition(description = "Unexpired cloud-to-device messages a device's queue holds at most "
                + "(IoT Hub: 50); one more is refused with 403 cloud-queue-full")
        int c2dMaxQueued() default 50;

        @AttributeDefinition(description = "Seconds a cloud-to-device message sent without ttlSeconds stays "
                + "queued (1 to 172800)")
        int c2dDefaultTtlSecs() default 3600;

        @AttributeDefinition(description = "Seconds between looks in the store for cloud-to-device messages of the "
                + "devices connected to this node (queued through another node)")
        int c2dSweepSecs() default 5;
    }

    private final CloudEndpoint endpoint;
    private final ServiceRegistration<CloudMessaging> registration;

    @Activate
    public EndpointComponent(Config config, @Reference DeviceRegistry registry, @Reference TwinService twins,
            @Reference FleetDeploymentService fleet, @Reference TelemetryStore telemetry,
            @Reference CloudToDeviceQueue c2dQueue,
            @Reference(target = "(type=system)") Clock clock, BundleContext context) throws Exception {
        this.endpoint = CloudEndpoint.start(settings(config, System.getProperty("karaf.data", "data")), registry,
                twins, fleet, telemetry, c2dQueue, c2dSettings(config), clock);
        this.registration = context.registerService(CloudMessaging.class, endpoint.messaging(), null);
    }

    static EndpointSettings settings(Config c, String karafData) {
        Path dir = c.dataDir().isBlank() ? Path.of(karafData, "outpost", "cloud", "endpoint") : Path.of(c.dataDir().trim());
        Path bundle = c.trustBundleFile().isBlank() ? dir.resolve("trust-bundle.pem") : Path.of(c.trustBundleFile().trim());
        List<String> hostnames = Arrays.stream(c.hostnames().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
        return new EndpointSettings(c.host(), c.tlsPort(), hostnames, c.hubHostName().trim(), dir, bundle,
                Duration.ofMillis(c.desiredPollMs()), Duration.ofSeconds(c.fleetApplySecs()),
                Duration.ofSeconds(c.touchSecs()), c.dbThreads(), c.maxConnections(),
                Duration.ofSeconds(c.maxTokenLifetimeSecs()));
    }

    static C2dSettings c2dSettings(Config c) {
        return new C2dSettings(c.c2dMaxQueued(), Duration.ofSeconds(c.c2dDefaultTtlSecs()),
                Duration.ofSeconds(c.c2dSweepSecs()));
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
        endpoint.close();
    }
}
