package io.outpost.cloud.endpoint.internal;

import io.outpost.cloud.CloudMessaging;
import io.outpost.cloud.CloudToDeviceQueue;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.TelemetryStore;
import io.outpost.cloud.TwinService;
import io.outpost.common.SystemClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/** Starts the package-private {@link CloudEndpoint} for {@code io.outpost.cloud.endpoint.testing.TestCloud}. */
public final class TestEndpoints {

    private TestEndpoints() {
    }

    /**
     * Starts the endpoint on 127.0.0.1:{@code port} with its CA in {@code dir}; {@code maxQueued} cloud-to-device
     * messages per device at most (0: the component's default). Returns the endpoint and its messaging.
     */
    public static Started start(Path dir, int port, int maxQueued, DeviceRegistry registry, TwinService twins,
            FleetDeploymentService deployments, TelemetryStore telemetry, CloudToDeviceQueue c2d) throws Exception {
        C2dSettings c2dSettings = maxQueued == 0 ? C2dSettings.defaults()
                : new C2dSettings(maxQueued, Duration.ofHours(1), Duration.ofSeconds(1));
        CloudEndpoint endpoint = CloudEndpoint.start(EndpointSettings.forTest(dir, port), registry, twins, deployments,
                telemetry, c2d, c2dSettings, SystemClock.INSTANCE);
        return new Started(endpoint::close, endpoint::messaging);
    }

    /** A started endpoint: its messaging, and how to stop it. */
    public record Started(Runnable stop, Supplier<CloudMessaging> messaging) {
    }
}
