package io.outpost.hub.internal;

import io.outpost.hub.FullPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The validated settings of the store.
 *
 * @param dataDir      the directory holding the broker's journal, bindings, paging and large messages
 * @param maxSizeBytes the byte quota of each endpoint queue (see {@link io.outpost.hub.Message#sizeBytes()})
 * @param fullPolicy   what happens to a message that would exceed the quota
 * @param defaultTtl   the TTL of messages enqueued without one
 */
record StoreSettings(Path dataDir, long maxSizeBytes, FullPolicy fullPolicy, Duration defaultTtl) {

    StoreSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(fullPolicy, "fullPolicy");
        Objects.requireNonNull(defaultTtl, "defaultTtl");
        if (maxSizeBytes <= 0) {
            throw new IllegalArgumentException("maxSizeBytes must be positive: " + maxSizeBytes);
        }
        if (defaultTtl.isNegative() || defaultTtl.isZero()) {
            throw new IllegalArgumentException("defaultTtlSeconds must be positive: " + defaultTtl.toSeconds());
        }
    }

    /** Maps the component's configuration, naming the property at fault when a value is not allowed. */
    static StoreSettings from(HubConfig config, String karafData) {
        String dir = config.dataDir().isBlank() ? defaultDataDir(karafData) : config.dataDir();
        FullPolicy policy;
        try {
            policy = FullPolicy.parse(config.fullPolicy());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fullPolicy: " + e.getMessage(), e);
        }
        if (config.maxSizeBytes() <= 0) {
            throw new IllegalArgumentException("maxSizeBytes must be positive: " + config.maxSizeBytes());
        }
        if (config.defaultTtlSeconds() <= 0) {
            throw new IllegalArgumentException("defaultTtlSeconds must be positive: " + config.defaultTtlSeconds());
        }
        return new StoreSettings(Path.of(dir), config.maxSizeBytes(), policy,
                Duration.ofSeconds(config.defaultTtlSeconds()));
    }

    private static String defaultDataDir(String karafData) {
        String base = karafData == null || karafData.isBlank() ? "data" : karafData;
        return Path.of(base, "outpost", "store").toString();
    }
}
