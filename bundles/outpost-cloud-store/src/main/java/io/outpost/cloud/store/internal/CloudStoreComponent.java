package io.outpost.cloud.store.internal;

import io.outpost.cloud.CloudToDeviceQueue;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.TelemetryRetention;
import io.outpost.cloud.TelemetryStore;
import io.outpost.cloud.TwinService;
import io.outpost.common.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the cloud store (migrating its schema) and registers its five services. The password never sits in
 * the configuration: it is read from a file or an environment variable that the configuration names.
 */
@Component(configurationPid = "io.outpost.cloud.store", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
@Designate(ocd = CloudStoreComponent.Config.class)
public final class CloudStoreComponent {

    private static final Logger LOG = LoggerFactory.getLogger(CloudStoreComponent.class);

    @ObjectClassDefinition(name = "Outpost Cloud store", description = "The cloud's database")
    public @interface Config {
        @AttributeDefinition(description = "JDBC URL: jdbc:h2:file:... (embedded) or jdbc:postgresql://host:port/db; "
                + "${karaf.data} is replaced by Karaf's data directory")
        String jdbcUrl() default "jdbc:h2:file:${karaf.data}/outpost/cloud/registry";

        @AttributeDefinition(description = "Database user; empty for none")
        String user() default "";

        @AttributeDefinition(description = "File whose first line is the database password; empty for none")
        String passwordFile() default "";

        @AttributeDefinition(description = "Environment variable that holds the database password; empty for none")
        String passwordEnv() default "";

        @AttributeDefinition(description = "Connections open at most, in use and idle together")
        int maxConnections() default PoolSettings.DEFAULT_MAX_CONNECTIONS;

        @AttributeDefinition(description = "Idle connections kept open at most (not above maxConnections)")
        int poolSize() default PoolSettings.DEFAULT_POOL_SIZE;

        @AttributeDefinition(description = "Milliseconds a transaction waits for a free connection when "
                + "maxConnections are in use, then fails")
        int connectionWaitMs() default PoolSettings.DEFAULT_CONNECTION_WAIT_MS;

        @AttributeDefinition(description = "Seconds between validations of the idle connections; broken ones "
                + "are closed")
        int idleValidationSecs() default PoolSettings.DEFAULT_IDLE_VALIDATION_SECS;

        @AttributeDefinition(description = "Seconds the validation of one idle connection may take")
        int validationTimeoutSecs() default PoolSettings.DEFAULT_VALIDATION_TIMEOUT_SECS;

        @AttributeDefinition(description = "Hours of twin change history kept")
        int historyRetentionHours() default 168;

        @AttributeDefinition(description = "Hours of telemetry kept per device")
        int telemetryMaxAgeHours() default 24;

        @AttributeDefinition(description = "Telemetry messages kept per device at most")
        int telemetryMaxPerDevice() default 1000;
    }

    private final CloudStore store;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Activate
    public CloudStoreComponent(Config config, @Reference(target = "(type=system)") Clock clock,
            BundleContext context) {
        StoreSettings settings = settings(config, System.getProperty("karaf.data", "data"), System.getenv());
        this.store = CloudStore.open(settings, clock);
        registrations.add(context.registerService(DeviceRegistry.class, store.registry(), null));
        registrations.add(context.registerService(TwinService.class, store.twins(), null));
        registrations.add(context.registerService(FleetDeploymentService.class, store.deployments(), null));
        registrations.add(context.registerService(TelemetryStore.class, store.telemetry(), null));
        registrations.add(context.registerService(CloudToDeviceQueue.class, store.c2d(), null));
        LOG.info("cloud-store-opened {}", settings);
    }

    /** Maps the configuration to validated settings, reading the password it references. */
    static StoreSettings settings(Config config, String karafData, Map<String, String> env) {
        String url = config.jdbcUrl().replace("${karaf.data}", karafData);
        PoolSettings pool = new PoolSettings(config.maxConnections(), config.poolSize(),
                Duration.ofMillis(config.connectionWaitMs()), Duration.ofSeconds(config.idleValidationSecs()),
                Duration.ofSeconds(config.validationTimeoutSecs()));
        return new StoreSettings(url, config.user(), password(config, env), pool,
                Duration.ofHours(config.historyRetentionHours()),
                new TelemetryRetention(Duration.ofHours(config.telemetryMaxAgeHours()), config.telemetryMaxPerDevice()));
    }

    private static String password(Config config, Map<String, String> env) {
        if (!config.passwordFile().isEmpty()) {
            try {
                return Files.readString(Path.of(config.passwordFile()), StandardCharsets.UTF_8).lines().findFirst()
                        .orElse("");
            } catch (IOException e) {
                throw new UncheckedIOException("passwordFile " + config.passwordFile() + " cannot be read", e);
            }
        }
        if (!config.passwordEnv().isEmpty()) {
            String value = env.get(config.passwordEnv());
            if (value == null) {
                throw new IllegalArgumentException("passwordEnv names " + config.passwordEnv() + ", which is not set");
            }
            return value;
        }
        return "";
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
        store.close();
        LOG.info("cloud-store-closed");
    }
}
