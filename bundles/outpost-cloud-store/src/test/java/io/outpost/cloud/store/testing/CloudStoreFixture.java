package io.outpost.cloud.store.testing;

import io.outpost.cloud.CloudToDeviceQueue;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.TelemetryRetention;
import io.outpost.cloud.TelemetryStore;
import io.outpost.cloud.TwinService;
import io.outpost.cloud.store.internal.CloudStore;
import io.outpost.cloud.store.internal.StoreSettings;
import io.outpost.common.Clock;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The cloud's real store on an H2 file database, outside OSGi, for the tests of other bundles (outpost-cloud-store's
 * test-jar): only the exported services (outpost-cloud-api) cross this boundary. Two fixtures opened on the same file
 * share the database, as two cloud nodes do.
 */
public final class CloudStoreFixture implements AutoCloseable {

    private final CloudStore store;

    private CloudStoreFixture(CloudStore store) {
        this.store = store;
    }

    /**
     * Opens (creating it when missing) the H2 database at {@code file} with a pool of {@code poolSize} connections,
     * one hour of twin history and telemetry, and at most {@code telemetryRows} telemetry rows per device.
     */
    public static CloudStoreFixture openH2(Path file, int poolSize, int telemetryRows, Clock clock) {
        return new CloudStoreFixture(CloudStore.open(new StoreSettings("jdbc:h2:file:" + file.toAbsolutePath(), "", "",
                poolSize, Duration.ofHours(1), new TelemetryRetention(Duration.ofHours(1), telemetryRows)), clock));
    }

    public DeviceRegistry registry() {
        return store.registry();
    }

    public TwinService twins() {
        return store.twins();
    }

    public FleetDeploymentService deployments() {
        return store.deployments();
    }

    public TelemetryStore telemetry() {
        return store.telemetry();
    }

    public CloudToDeviceQueue c2d() {
        return store.c2d();
    }

    @Override
    public void close() {
        store.close();
    }
}
