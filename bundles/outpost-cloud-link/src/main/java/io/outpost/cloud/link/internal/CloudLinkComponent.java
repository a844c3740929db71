package io.outpost.cloud.link.internal;

import io.outpost.common.Backoff;
import io.outpost.common.Clock;
import io.outpost.deployment.DeploymentListener;
import io.outpost.deployment.DeploymentService;
import io.outpost.hub.CloudToDevice;
import io.outpost.hub.MethodInvoker;
import io.outpost.hub.Twins;
import io.outpost.hub.UpstreamSender;
import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
 * Runs the cloud link when a connection string is configured; without one it stays idle (logged once). While it
 * runs it registers the {@link UpstreamSender} the hub delivers {@code $upstream} through, and a
 * {@link DeploymentListener} that reports each deployment change. A configuration change restarts it.
 */
@Component(immediate = true, service = {}, configurationPid = CloudLinkComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CloudLinkComponent.Config.class)
public class CloudLinkComponent {

    static final String PID = "io.outpost.cloud.link";
    private static final Logger LOG = LoggerFactory.getLogger(CloudLinkComponent.class);

    @ObjectClassDefinition(id = PID, name = "Outpost cloud link", description = "The edge's connection to Outpost Cloud")
    public @interface Config {
        @AttributeDefinition(description = "HostName=<hub>;DeviceId=<device>;SharedAccessKey=<key>; empty (with "
                + "connectionStringFile empty): the link is off")
        String connectionString() default "";

        @AttributeDefinition(description = "File whose first line is the connection string (keeps the key out of "
                + "etc/); used when connectionString is empty")
        String connectionStringFile() default "";

        @AttributeDefinition(description = "Host of the cloud's device endpoint")
        String cloudHost() default "127.0.0.1";

        @AttributeDefinition(description = "MQTT over TLS port of the cloud's device endpoint")
        int cloudPort() default 8884;

        @AttributeDefinition(description = "PEM file of the cloud CA to trust; empty: ${karaf.etc}/cloud-trust-bundle.pem")
        String trustBundleFile() default "";

        @AttributeDefinition(description = "Minutes a SAS token is valid; the link reconnects with a new one at 80%")
        int tokenTtlMinutes() default 60;

        @AttributeDefinition(description = "First wait before reconnecting, in milliseconds, doubled per failure")
        long backoffInitialMs() default 1000;

        @AttributeDefinition(description = "Longest wait before reconnecting, in milliseconds")
        long backoffMaxMs() default 60000;

        @AttributeDefinition(description = "Seconds a message waits for the cloud's PUBACK (and a twin request for "
                + "its answer)")
        int publishTimeoutSecs() default 30;

        @AttributeDefinition(description = "Seconds between comparisons of the agent's state and the modules' reported "
                + "properties in the hub with what was reported")
        int reportIntervalSecs() default 5;

        @AttributeDefinition(description = "MQTT keep-alive in seconds")
        int keepAliveSecs() default 60;
    }

    private final CloudLink link;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    /** The hub's twins: module reported properties go up from there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Twins hubTwins;

    /** The hub's direct methods: the cloud's calls on modules go there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile MethodInvoker methodInvoker;

    /** The hub's delivery of cloud-to-device messages to leaf devices. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CloudToDevice cloudToDevice;

    /** The edge's identities: the leaf devices registered there get a cloud connection each. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile IdentityService identities;

    @Activate
    public CloudLinkComponent(Config config, @Reference DeploymentService deployments,
            @Reference(target = "(type=system)") Clock clock, BundleContext context) {
        String connection = connectionString(config);
        if (connection.isEmpty()) {
            LOG.info("cloud-link-disabled reason=\"no connectionString configured in {}.cfg\"", PID);
            this.link = null;
            return;
        }
        LinkSettings settings = settings(config, connection, System.getProperty("karaf.etc", "etc"));
        this.link = new CloudLink(settings, deployments, () -> hubTwins, () -> methodInvoker, () -> cloudToDevice,
                this::leafDevices, clock, context.getBundle().getVersion().toString());
        link.start();
        registrations.add(context.registerService(UpstreamSender.class, link.upstream(), null));
        registrations.add(context.registerService(DeploymentListener.class, link.deploymentListener(), null));
    }

    /** The device identities (not modules) registered on this edge, other than the edge itself. */
    private Collection<String> leafDevices() {
        IdentityService current = identities;
        if (current == null) {
            return List.of();
        }
        return current.list().stream().filter(i -> i.moduleId().isEmpty()).map(Identity::deviceId).toList();
    }

    static String connectionString(Config c) {
        if (!c.connectionString().isBlank()) {
            return c.connectionString().trim();
        }
        if (c.connectionStringFile().isBlank()) {
            return "";
        }
        try {
            return Files.readString(Path.of(c.connectionStringFile().trim()), StandardCharsets.UTF_8).lines()
                    .findFirst().orElse("").trim();
        } catch (IOException e) {
            throw new UncheckedIOException("connectionStringFile " + c.connectionStringFile() + " cannot be read", e);
        }
    }

    static LinkSettings settings(Config c, String connection, String karafEtc) {
        if (c.backoffInitialMs() < 1 || c.backoffMaxMs() < c.backoffInitialMs()) {
            throw new IllegalArgumentException("backoffInitialMs must be positive and backoffMaxMs at least "
                    + "backoffInitialMs: " + c.backoffInitialMs() + ", " + c.backoffMaxMs());
        }
        Path trust = c.trustBundleFile().isBlank() ? Path.of(karafEtc, "cloud-trust-bundle.pem")
                : Path.of(c.trustBundleFile().trim());
        return new LinkSettings(ConnectionString.parse(connection), c.cloudHost().trim(), c.cloudPort(), trust,
                Duration.ofMinutes(c.tokenTtlMinutes()),
                new Backoff(Duration.ofMillis(c.backoffInitialMs()), 2.0, Duration.ofMillis(c.backoffMaxMs())),
                Duration.ofSeconds(c.publishTimeoutSecs()), Duration.ofSeconds(c.reportIntervalSecs()),
                Duration.ofSeconds(c.keepAliveSecs()));
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
        if (link != null) {
            link.close();
        }
    }
}
