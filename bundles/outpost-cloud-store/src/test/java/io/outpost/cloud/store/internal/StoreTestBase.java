package io.outpost.cloud.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.TelemetryRetention;
import io.outpost.common.ErrorCode;
import io.outpost.common.ManualClock;
import io.outpost.common.OutpostException;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Opens a store on a fresh database before each test, for the suites that run unchanged on H2 and PostgreSQL.
 * Twin history is kept one hour; telemetry one hour and five messages per device.
 */
abstract class StoreTestBase {

    static final Duration HISTORY = Duration.ofHours(1);
    static final TelemetryRetention TELEMETRY = new TelemetryRetention(Duration.ofHours(1), 5);
    static final DeviceAuth KEYS = new DeviceAuth.SymmetricKeys("cHJpbWFyeS1rZXktMTIzNDU2", "c2Vjb25kYXJ5LWtleS0xMjM0");

    protected final ManualClock clock = ManualClock.atEpochOf2026();
    protected StoreSettings settings;
    protected CloudStore store;

    /** Settings for a new, empty database. */
    protected abstract StoreSettings newDatabase(Duration history, TelemetryRetention telemetry);

    @BeforeEach
    void openStore() {
        settings = newDatabase(HISTORY, TELEMETRY);
        store = CloudStore.open(settings, clock);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** The exception thrown, checked to be an {@link OutpostException} with that code. */
    static OutpostException thrown(ErrorCode code, ThrowingCallable call) {
        OutpostException e = catchThrowableOfType(OutpostException.class, call);
        assertThat(e).as("an OutpostException with code %s", code.code()).isNotNull();
        assertThat(e.errorCode()).as(e.getMessage()).isEqualTo(code);
        return e;
    }
}
