package io.outpost.cloud.link.internal;

import io.outpost.common.Backoff;
import io.outpost.common.Clock;
import io.outpost.deployment.DeploymentListener;
import io.outpost.deployment.DeploymentService;
import io.outpost.hub.CloudToDevice;
import io.outpost.hub.ConnectedClients;
import io.outpost.hub.MethodInvoker;
import io.outpost.hub.Twins;
import io.outpost.hub.UpstreamSender;
import io.outpost.security.CloudCertificate;
import io.outpost.security.DeviceCertificates;
import io.outpost.security.DeviceCertificates.DeviceCertificate;
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
import java.util.Locale;
import java.util.Optional;
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
    static final String AUTH_SAS = "sas";
    static final String AUTH_X509 = "x509";
    static final String DEFAULT_CERTIFICATE = "cloud-device-cert.pem";
    static final String DEFAULT_PRIVATE_KEY = "cloud-device-key.pem";
    private static final Logger LOG = LoggerFactory.getLogger(CloudLinkComponent.class);

    @ObjectClassDefinition(id = PID, name = "Outpost cloud link", description = "The edge's connection to Outpost Cloud")
    public @interface Config {
        @AttributeDefinition(description = "HostName=<hub>;DeviceId=<device>;SharedAccessKey=<key> (auth = sas) or "
                + "HostName=<hub>;DeviceId=<device> (auth = x509); empty (with connectionStringFile empty): the link "
                + "is off")
        String connectionString() default "";

        @AttributeDefinition(description = "File whose first line is the connection string (keeps the key out of "
                + "etc/); used when connectionString is empty")
        String connectionStringFile() default "";

        @AttributeDefinition(description = "How the device authenticates: sas (a token signed with the connection "
                + "string's key) or x509 (the client certificate of certificate/privateKey)")
        String auth() default AUTH_SAS;

        @AttributeDefinition(description = "auth = x509: PEM file of the device certificate (CN = the device id), "
                + "followed by its CA chain if any; empty: ${karaf.etc}/cloud-device-cert.pem, created self-signed "
                + "with the key on first start when neither file exists")
        String certificate() default "";

        @AttributeDefinition(description = "auth = x509: PEM file of the certificate's private key, readable by its "
                + "owner only; empty: ${karaf.etc}/cloud-device-key.pem")
        String privateKey() default "";

        @AttributeDefinition(description = "auth = x509: days the self-signed device certificate created on first "
                + "start is valid")
        int certificateDays() default 365;

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
                + "properties in the hub with what was reported, and checks of which leaf devices are connected to "
                + "the hub and subscribed to their cloud-to-device messages (taken from the cloud only then)")
        int reportIntervalSecs() default 5;

        @AttributeDefinition(description = "MQTT keep-alive in seconds")
        int keepAliveSecs() default 60;

        @AttributeDefinition(description = "Largest upstream message the cloud takes, in bytes, counted as sent: the "
                + "MQTT PUBLISH after its fixed header (topic with its property bag, packet id, body); IoT Hub: 256 "
                + "KiB. A larger $upstream message is refused as invalid (dead-lettered by the hub) instead of sent")
        int maxMessageBytes() default LinkSettings.DEFAULT_MAX_MESSAGE_BYTES;
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

    /** The hub's connected clients: a leaf's C2D messages are taken from the cloud while it is connected there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConnectedClients connectedClients;

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
        String etc = System.getProperty("karaf.etc", "etc");
        LinkSettings settings = settings(config, connection, etc);
        String deviceId = settings.connection().deviceId();
        settings.clientCertificate().ifPresent(files -> prepare(config, files, deviceId, clock));
        this.link = new CloudLink(settings, deployments, () -> hubTwins, () -> methodInvoker, () -> cloudToDevice,
                () -> connectedClients, this::leafDevices, clock, context.getBundle().getVersion().toString());
        link.start();
        registrations.add(context.registerService(UpstreamSender.class, link.upstream(), null));
        registrations.add(context.registerService(DeploymentListener.class, link.deploymentListener(), null));
        settings.clientCertificate().ifPresent(files -> registrations.add(context.registerService(
                CloudCertificate.class, new LinkCertificate(files, deviceId), null)));
    }

    /**
     * With the default files and neither present, creates a self-signed device certificate; then checks both files
     * (a problem fails the component with a message naming the setting). An expired certificate is only logged:
     * each connection attempt reads the files again, so replacing them is enough.
     */
    static void prepare(Config c, ClientCertificate files, String deviceId, Clock clock) {
        boolean defaults = c.certificate().isBlank() && c.privateKey().isBlank();
        if (defaults && !Files.exists(files.certificate()) && !Files.exists(files.privateKey())) {
            DeviceCertificate created = DeviceCertificates.createSelfSigned(files.certificate(), files.privateKey(),
                    deviceId, Duration.ofDays(c.certificateDays()), clock);
            LOG.info("cloud-device-certificate-created file={} subject=\"{}\" sha256Thumbprint={} sha1Thumbprint={} "
                    + "notAfter={}", files.certificate(), created.leaf().getSubjectX500Principal().getName(),
                    created.sha256Thumbprint(), created.sha1Thumbprint(), created.leaf().getNotAfter().toInstant());
        }
        DeviceCertificate loaded = files.load(deviceId);
        if (clock.now().isAfter(loaded.leaf().getNotAfter().toInstant())) {
            LOG.warn("cloud-device-certificate-expired file={} notAfter={}", files.certificate(),
                    loaded.leaf().getNotAfter().toInstant());
        }
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
        String auth = c.auth().trim().toLowerCase(Locale.ROOT);
        Optional<ClientCertificate> certificate;
        ConnectionString cs;
        if (auth.equals(AUTH_SAS)) {
            cs = ConnectionString.parse(connection);
            certificate = Optional.empty();
        } else if (auth.equals(AUTH_X509)) {
            cs = ConnectionString.parseX509(connection);
            certificate = Optional.of(clientCertificate(c, karafEtc));
        } else {
            throw new IllegalArgumentException("auth must be sas or x509: '" + c.auth() + "'");
        }
        return new LinkSettings(cs, c.cloudHost().trim(), c.cloudPort(), trust,
                Duration.ofMinutes(c.tokenTtlMinutes()),
                new Backoff(Duration.ofMillis(c.backoffInitialMs()), 2.0, Duration.ofMillis(c.backoffMaxMs())),
                Duration.ofSeconds(c.publishTimeoutSecs()), Duration.ofSeconds(c.reportIntervalSecs()),
                Duration.ofSeconds(c.keepAliveSecs()), certificate, c.maxMessageBytes());
    }

    private static ClientCertificate clientCertificate(Config c, String karafEtc) {
        boolean cert = !c.certificate().isBlank();
        boolean key = !c.privateKey().isBlank();
        if (cert != key) {
            throw new IllegalArgumentException(cert ? "privateKey must be set when certificate is set (auth = x509)"
                    : "certificate must be set when privateKey is set (auth = x509)");
        }
        if (c.certificateDays() < 1) {
            throw new IllegalArgumentException("certificateDays must be at least 1: " + c.certificateDays());
        }
        return cert ? new ClientCertificate(Path.of(c.certificate().trim()), Path.of(c.privateKey().trim()))
                : new ClientCertificate(Path.of(karafEtc, DEFAULT_CERTIFICATE), Path.of(karafEtc, DEFAULT_PRIVATE_KEY));
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
