package io.outpost.cloud.store.internal;

import io.outpost.cloud.TelemetryRetention;
import java.time.Duration;
import java.util.Objects;

/**
 * The store's validated settings.
 *
 * @param jdbcUrl {@code jdbc:h2:...} or {@code jdbc:postgresql:...}
 * @param user database user; empty for none
 * @param password database password, read from the referenced file or variable; empty for none
 * @param pool the connection pool's limits
 * @param historyRetention how long twin changes are kept
 * @param telemetry telemetry retention limits
 */
public record StoreSettings(String jdbcUrl, String user, String password, PoolSettings pool,
        Duration historyRetention, TelemetryRetention telemetry) {

    public StoreSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:h2: or jdbc:postgresql:, got " + jdbcUrl);
        }
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(pool, "pool");
        if (historyRetention.isNegative() || historyRetention.isZero()) {
            throw new IllegalArgumentException("historyRetention must be positive: " + historyRetention);
        }
        Objects.requireNonNull(telemetry, "telemetry");
    }

    /** Settings with the pool's defaults but at most {@code poolSize} idle connections (tests and tools). */
    public StoreSettings(String jdbcUrl, String user, String password, int poolSize, Duration historyRetention,
            TelemetryRetention telemetry) {
        this(jdbcUrl, user, password, PoolSettings.withIdle(poolSize), historyRetention, telemetry);
    }

    @Override
    public String toString() {
        return "StoreSettings[" + jdbcUrl + ", user=" + user + ", password=" + (password.isEmpty() ? "none" : "set")
                + ", " + pool + ", historyRetention=" + historyRetention + ", " + telemetry + "]";
    }
}
