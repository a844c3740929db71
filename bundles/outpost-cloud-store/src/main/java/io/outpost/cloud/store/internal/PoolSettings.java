package io.outpost.cloud.store.internal;

import java.time.Duration;

/**
 * The limits of the store's connection pool, validated; each error names the configuration property.
 *
 * @param maxConnections connections open at most, in use and idle together; at least 2, since Flyway migrates the
 *     schema with two
 * @param maxIdle idle connections kept open at most ({@code poolSize})
 * @param connectionWait how long a transaction waits for a free connection before it fails
 * @param idleValidationInterval how often idle connections are validated (broken ones are closed)
 * @param validationTimeout how long the validation of one idle connection may take
 */
public record PoolSettings(int maxConnections, int maxIdle, Duration connectionWait, Duration idleValidationInterval,
        Duration validationTimeout) {

    /** The defaults of the cloud store component's configuration, written once here. */
    static final int DEFAULT_MAX_CONNECTIONS = 16;
    static final int DEFAULT_POOL_SIZE = 8;
    static final int DEFAULT_CONNECTION_WAIT_MS = 5000;
    static final int DEFAULT_IDLE_VALIDATION_SECS = 30;
    static final int DEFAULT_VALIDATION_TIMEOUT_SECS = 5;

    public PoolSettings {
        if (maxConnections < 2) {
            throw new IllegalArgumentException("maxConnections must be at least 2 (migrating the schema takes two): "
                    + maxConnections);
        }
        if (maxIdle < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1: " + maxIdle);
        }
        if (maxIdle > maxConnections) {
            throw new IllegalArgumentException("poolSize (" + maxIdle + ") must not exceed maxConnections ("
                    + maxConnections + ")");
        }
        positive(connectionWait, "connectionWaitMs");
        positive(idleValidationInterval, "idleValidationSecs");
        positive(validationTimeout, "validationTimeoutSecs");
    }

    /** The component's defaults, with at most {@code maxIdle} idle connections (tests and tools). */
    public static PoolSettings withIdle(int maxIdle) {
        return new PoolSettings(Math.max(DEFAULT_MAX_CONNECTIONS, maxIdle), maxIdle,
                Duration.ofMillis(DEFAULT_CONNECTION_WAIT_MS), Duration.ofSeconds(DEFAULT_IDLE_VALIDATION_SECS),
                Duration.ofSeconds(DEFAULT_VALIDATION_TIMEOUT_SECS));
    }

    private static void positive(Duration value, String property) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be positive: " + value);
        }
    }

    /** The wait as people read it: {@code 5 s}, {@code 250 ms}. */
    String connectionWaitText() {
        long ms = connectionWait.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    @Override
    public String toString() {
        return "maxConnections=" + maxConnections + ", poolSize=" + maxIdle + ", connectionWaitMs="
                + connectionWait.toMillis() + ", idleValidationSecs=" + idleValidationInterval.toSeconds()
                + ", validationTimeoutSecs=" + validationTimeout.toSeconds();
    }
}
