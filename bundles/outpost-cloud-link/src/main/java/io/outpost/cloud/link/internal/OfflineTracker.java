package io.outpost.cloud.link.internal;

import io.outpost.common.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline time of the link: from start (or from losing the connection) until connected again. Counts outages (a
 * connection lost after it was up) and the total time offline, the current outage included.
 */
final class OfflineTracker {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineTracker.class);

    private final Clock clock;
    private long offlineSinceNanos;
    private boolean online;
    private long closedOfflineNanos;
    private long outages;
    private Optional<Instant> since = Optional.empty();
    private String lastError = "";

    OfflineTracker(Clock clock) {
        this.clock = clock;
        this.offlineSinceNanos = clock.monotonicNanos();
    }

    synchronized void connected() {
        if (online) {
            return;
        }
        long offline = clock.monotonicNanos() - offlineSinceNanos;
        closedOfflineNanos += offline;
        online = true;
        since = Optional.of(clock.now());
        LOG.info("cloud-link-online offlineSecs={} outages={}", Duration.ofNanos(offline).toSeconds(), outages);
    }

    synchronized void disconnected(String reason) {
        lastError = reason;
        if (!online) {
            return;
        }
        online = false;
        outages++;
        offlineSinceNanos = clock.monotonicNanos();
        since = Optional.of(clock.now());
        LOG.warn("cloud-link-offline reason=\"{}\" outages={}", reason, outages);
    }

    synchronized boolean online() {
        return online;
    }

    synchronized Optional<Instant> since() {
        return since;
    }

    synchronized Duration offlineTotal() {
        long current = online ? 0 : clock.monotonicNanos() - offlineSinceNanos;
        return Duration.ofNanos(closedOfflineNanos + current);
    }

    synchronized long outages() {
        return outages;
    }

    synchronized String lastError() {
        return lastError;
    }
}
