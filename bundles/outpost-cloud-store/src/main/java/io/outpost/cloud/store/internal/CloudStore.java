package io.outpost.cloud.store.internal;

import io.outpost.cloud.CloudToDeviceQueue;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.TelemetryStore;
import io.outpost.cloud.TwinService;
import io.outpost.cloud.store.internal.fleet.ContentValidator;
import io.outpost.common.Clock;
import io.outpost.manifest.ManifestParser;

/**
 * The cloud's services over one database, built without OSGi: the DS component, tests and tools open it the
 * same way. Opening migrates the schema; closing releases the connections.
 */
public final class CloudStore implements AutoCloseable {

    private final Database db;
    private final JdbcDeviceRegistry registry;
    private final JdbcTwinService twins;
    private final FleetDeployments deployments;
    private final JdbcTelemetryStore telemetry;
    private final JdbcC2dQueue c2d;

    private CloudStore(Database db, StoreSettings settings, Clock clock) {
        this.db = db;
        this.registry = new JdbcDeviceRegistry(db, clock);
        this.twins = new JdbcTwinService(db, clock, settings.historyRetention());
        this.deployments = new FleetDeployments(new JdbcDeploymentRepository(db), twins,
                new ContentValidator(new ManifestParser()), clock);
        this.telemetry = new JdbcTelemetryStore(db, clock, settings.telemetry());
        this.c2d = new JdbcC2dQueue(db, clock);
    }

    public static CloudStore open(StoreSettings settings, Clock clock) {
        return new CloudStore(Database.open(settings), settings, clock);
    }

    public DeviceRegistry registry() {
        return registry;
    }

    public TwinService twins() {
        return twins;
    }

    public FleetDeploymentService deployments() {
        return deployments;
    }

    public TelemetryStore telemetry() {
        return telemetry;
    }

    /** The durable cloud-to-device queues. */
    public CloudToDeviceQueue c2d() {
        return c2d;
    }

    /**
     * Removes twin history, telemetry and finished cloud-to-device messages beyond their retention; returns how
     * many rows went.
     */
    public int prune() {
        return twins.pruneHistory() + telemetry.prune() + c2d.prune();
    }

    @Override
    public void close() {
        db.close();
    }
}
