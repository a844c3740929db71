package io.outpost.security.testing;

import io.outpost.common.Clock;
import io.outpost.common.SystemClock;
import io.outpost.security.CertificateService;
import io.outpost.security.IdentityService;
import io.outpost.security.internal.FileIdentityStore;
import io.outpost.security.internal.workload.WorkloadServer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The security bundle's real identity store and workload API outside OSGi, for the tests of other modules
 * (outpost-security's test-jar): identities in a properties file, and workload sockets in a folder, one per module.
 * Only exported types (io.outpost.security) cross this boundary.
 */
public final class WorkloadFixture implements AutoCloseable {

    private final WorkloadServer server;

    private WorkloadFixture(WorkloadServer server) {
        this.server = server;
    }

    /** The file-backed identity store the edge runs, in {@code file} (created when missing). */
    public static IdentityService identities(Path file) {
        return identities(file, SystemClock.INSTANCE);
    }

    /** The same, timing its identities by {@code clock} (a manual clock, say). */
    public static IdentityService identities(Path file, Clock clock) {
        return new FileIdentityStore(file, clock);
    }

    /** The workload API with its sockets under {@code dir}, serving those identities and certificates. */
    public static WorkloadFixture start(Path dir, IdentityService identities, CertificateService certificates) {
        return new WorkloadFixture(new WorkloadServer(dir, identities, certificates));
    }

    /** Opens the workload socket of a module (as the agent does before starting it); returns its path. */
    public Path open(String deviceId, String module) throws IOException {
        return server.open(deviceId, module);
    }

    /** Where the workload socket of a module is (or would be). */
    public Path socketPath(String module) {
        return server.socketPath(module);
    }

    @Override
    public void close() {
        server.close();
    }
}
