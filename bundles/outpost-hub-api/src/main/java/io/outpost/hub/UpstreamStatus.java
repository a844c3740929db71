package io.outpost.hub;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of the cloud link.
 *
 * @param target        where it connects ({@code host:port}, device id)
 * @param connected     whether it is connected now
 * @param since         when it last connected or lost the connection; empty before the first attempt ended
 * @param offlineTotal  time spent offline since the link started (the current outage included)
 * @param outages       how many times it lost the connection or failed to establish it after being connected
 * @param sent          messages the cloud acknowledged since the link started
 * @param lastError     the last connection error; empty when none
 */
public record UpstreamStatus(String target, boolean connected, Optional<Instant> since, Duration offlineTotal,
        long outages, long sent, String lastError) {

    public UpstreamStatus {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(offlineTotal, "offlineTotal");
        Objects.requireNonNull(lastError, "lastError");
    }
}
