package io.outpost.security.internal;

import io.outpost.common.Clock;
import io.outpost.common.DaemonThreads;
import io.outpost.security.CertificateService;
import io.outpost.security.CertificateStatus;
import io.outpost.security.HubNames;
import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import io.outpost.security.ModuleEnvironment;
import io.outpost.security.ModuleProvisioning;
import io.outpost.security.ServerCertificate;
import io.outpost.security.internal.workload.Provisioner;
import io.outpost.security.internal.workload.WorkloadServer;
import io.outpost.security.internal.workload.WorkloadSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identities and the edge CA as OSGi services. Checks the certificates every {@code checkIntervalMinutes}:
 * renews the hub's certificate ahead of expiry and warns (log) about any certificate near its end.
 */
@Component(immediate = true, service = {IdentityService.class, CertificateService.class, ModuleProvisioning.class},
        configurationPid = "io.outpost.security",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SecurityComponent.Config.class)
public class SecurityComponent implements IdentityService, CertificateService, ModuleProvisioning {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityComponent.class);

    @ObjectClassDefinition(name = "Outpost security", description = "Identities, edge CA and the hub's certificate")
    public @interface Config {
        @AttributeDefinition(description = "Folder of identities and certificates; empty: ${karaf.data}/outpost/security")
        String dataDir() default "";

        @AttributeDefinition(description = "Host names and addresses the hub's certificate names, comma-separated; "
                + "empty: this host's name, localhost and 127.0.0.1")
        String hostnames() default "";

        @AttributeDefinition(description = "Validity of a generated edge CA, in days")
        int caDays() default 1825;

        @AttributeDefinition(description = "Validity of the hub's certificate, in days")
        int serverCertDays() default 90;

        @AttributeDefinition(description = "Renew the hub's certificate this many days before it expires")
        int renewBeforeDays() default 30;

        @AttributeDefinition(description = "Warn about a certificate this many days before it expires")
        int warnBeforeDays() default 30;

        @AttributeDefinition(description = "An operator-supplied CA certificate (PEM file); empty: generate one")
        String caCertFile() default "";

        @AttributeDefinition(description = "The key of the operator-supplied CA (PEM file)")
        String caKeyFile() default "";

        @AttributeDefinition(description = "Minutes between certificate checks")
        int checkIntervalMinutes() default 60;

        @AttributeDefinition(description = "Folder of the modules' workload sockets; empty: ${karaf.data}/outpost/"
                + "workload, or a folder under /tmp when that path is too long for unix socket addresses")
        String workloadDir() default "";

        @AttributeDefinition(description = "Workload API connections served at once, over all modules")
        int workloadThreads() default 16;

        @AttributeDefinition(description = "Workload API connections that may wait for a thread; more are answered 503")
        int workloadQueue() default 64;

        @AttributeDefinition(description = "Open workload API connections one module may hold; more are answered 503")
        int workloadConnectionsPerModule() default 4;

        @AttributeDefinition(description = "Seconds a workload API connection may take to send a whole request, or "
                + "stay idle between requests, before it is closed")
        int workloadReadTimeoutSeconds() default 10;

        @AttributeDefinition(description = "IOTEDGE_IOTHUBHOSTNAME given to modules; empty: the gateway host name")
        String iotHubHostName() default "";

        @AttributeDefinition(description = "IOTEDGE_GATEWAYHOSTNAME given to modules: how they reach the hub; "
                + "empty: the first of hostnames")
        String gatewayHostName() default "";
    }

    private final FileIdentityStore identities;
    private final CertificateManager certificates;
    private final ScheduledExecutorService checker;
    private final WorkloadServer workload;
    private final Provisioner provisioner;

    @Activate
    public SecurityComponent(Config config, @Reference Clock clock) {
        CaSettings settings = settings(config);
        this.identities = new FileIdentityStore(settings.dir().resolve("identities.properties"), clock);
        this.certificates = new CertificateManager(settings, clock);
        String gateway = config.gatewayHostName().isBlank() ? settings.hostnames().get(0) : config.gatewayHostName().trim();
        String hub = config.iotHubHostName().isBlank() ? gateway : config.iotHubHostName().trim();
        this.workload = new WorkloadServer(workloadDir(config, settings.dir().resolveSibling("workload")), identities,
                certificates, workloadSettings(config));
        this.provisioner = new Provisioner(identities, workload, hub, gateway);
        if (config.checkIntervalMinutes() < 1) {
            throw new IllegalArgumentException("checkIntervalMinutes must be at least 1: " + config.checkIntervalMinutes());
        }
        this.checker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("outpost-certificates"));
        checker.scheduleWithFixedDelay(this::check, config.checkIntervalMinutes(), config.checkIntervalMinutes(),
                TimeUnit.MINUTES);
        check();
    }

    @Deactivate
    void deactivate() {
        checker.shutdownNow();
        workload.close();
    }

    @Override
    public ModuleEnvironment provision(String deviceId, String moduleId, boolean newGeneration) {
        return provisioner.provision(deviceId, moduleId, newGeneration);
    }

    @Override
    public void serve(String deviceId, String moduleId) {
        provisioner.serve(deviceId, moduleId);
    }

    @Override
    public void retire(String deviceId, String moduleId) {
        provisioner.retire(deviceId, moduleId);
    }

    private void check() {
        try {
            certificates.renewIfNeeded();
            certificates.status().stream().filter(CertificateStatus::expiringSoon)
                    .forEach(s -> LOG.warn("certificate-expiring name={} notAfter={} action=\"{}\"", s.name(),
                            s.notAfter(), s.message()));
        } catch (RuntimeException e) {
            LOG.error("certificate-check-failed", e);
        }
    }

    static WorkloadSettings workloadSettings(Config c) {
        if (c.workloadReadTimeoutSeconds() < 1) {
            throw new IllegalArgumentException("workloadReadTimeoutSeconds must be at least 1: "
                    + c.workloadReadTimeoutSeconds());
        }
        return new WorkloadSettings(c.workloadThreads(), c.workloadQueue(), c.workloadConnectionsPerModule(),
                Duration.ofSeconds(c.workloadReadTimeoutSeconds()));
    }

    /** The configured folder, or the default one, or, when that is too long for socket addresses, one under /tmp. */
    static Path workloadDir(Config c, Path defaultDir) {
        if (!c.workloadDir().isBlank()) {
            Path dir = Path.of(c.workloadDir().trim()).toAbsolutePath();
            if (dir.toString().length() > WorkloadServer.MAX_DIR_LENGTH) {
                throw new IllegalArgumentException("workloadDir must be at most " + WorkloadServer.MAX_DIR_LENGTH
                        + " characters long (unix socket addresses are limited): " + dir);
            }
            return dir;
        }
        Path dir = defaultDir.toAbsolutePath();
        if (dir.toString().length() <= WorkloadServer.MAX_DIR_LENGTH) {
            return dir;
        }
        Path fallback = Path.of("/tmp", "outpost-" + Integer.toHexString(dir.toString().hashCode()), "workload");
        LOG.info("workload-dir-shortened default={} used={}", dir, fallback);
        return fallback;
    }

    static CaSettings settings(Config c) {
        Path dir = c.dataDir().isBlank() ? Path.of(System.getProperty("karaf.data", "data"), "outpost", "security")
                : Path.of(c.dataDir());
        List<String> hosts = c.hostnames().isBlank() ? defaultHostnames()
                : Arrays.stream(c.hostnames().split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
        return new CaSettings(dir, "Outpost Edge CA " + defaultHostnames().get(0), hosts, days(c.caDays(), "caDays"),
                days(c.serverCertDays(), "serverCertDays"), days(c.renewBeforeDays(), "renewBeforeDays"),
                days(c.warnBeforeDays(), "warnBeforeDays"), file(c.caCertFile()), file(c.caKeyFile()));
    }

    private static Optional<Path> file(String path) {
        return path.isBlank() ? Optional.empty() : Optional.of(Path.of(path.trim()));
    }

    private static Duration days(int days, String name) {
        if (days < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + days);
        }
        return Duration.ofDays(days);
    }

    private static List<String> defaultHostnames() {
        LinkedHashSet<String> hosts = new LinkedHashSet<>();
        try {
            hosts.add(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            LOG.debug("hostname-unknown", e);
        }
        hosts.add("localhost");
        hosts.add("127.0.0.1");
        return List.copyOf(hosts);
    }

    @Override
    public Identity moduleIdentity(String deviceId, String moduleId) {
        return identities.moduleIdentity(deviceId, moduleId);
    }

    @Override
    public Identity rotateModuleIdentity(String deviceId, String moduleId) {
        return identities.rotateModuleIdentity(deviceId, moduleId);
    }

    @Override
    public Identity addDevice(String deviceId) {
        return identities.addDevice(deviceId);
    }

    @Override
    public Identity addDeviceWithThumbprint(String deviceId, String thumbprint) {
        return identities.addDeviceWithThumbprint(deviceId, thumbprint);
    }

    @Override
    public Identity addDeviceWithCa(String deviceId) {
        return identities.addDeviceWithCa(deviceId);
    }

    @Override
    public HubNames hubNames() {
        return provisioner.hubNames();
    }

    @Override
    public Optional<Identity> find(String deviceId, Optional<String> moduleId) {
        return identities.find(deviceId, moduleId);
    }

    @Override
    public boolean remove(String deviceId, Optional<String> moduleId) {
        return identities.remove(deviceId, moduleId);
    }

    @Override
    public List<Identity> list() {
        return identities.list();
    }

    @Override
    public String trustBundlePem() {
        return certificates.trustBundlePem();
    }

    @Override
    public ServerCertificate serverCertificate() {
        return certificates.serverCertificate();
    }

    @Override
    public KeyStore serverKeyStore(char[] password) {
        return certificates.serverKeyStore(password);
    }

    @Override
    public List<CertificateStatus> status() {
        return certificates.status();
    }
}
