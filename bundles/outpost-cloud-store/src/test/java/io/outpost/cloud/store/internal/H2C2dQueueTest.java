package io.outpost.cloud.store.internal;

import io.outpost.cloud.TelemetryRetention;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The cloud-to-device queue suite on H2 in file mode. */
class H2C2dQueueTest extends C2dQueueContract {

    @TempDir
    Path dir;

    @Override
    protected StoreSettings newDatabase(Duration history, TelemetryRetention telemetry) {
        return new StoreSettings("jdbc:h2:file:" + dir.resolve("registry").toAbsolutePath(), "", "", 4, history,
                telemetry);
    }
}
