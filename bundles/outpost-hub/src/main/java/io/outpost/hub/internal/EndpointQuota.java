package io.outpost.hub.internal;

import io.outpost.common.OutpostException;
import io.outpost.hub.FullPolicy;
import io.outpost.hub.HubErrorCode;

/**
 * The byte quota of one endpoint queue. {@code used} counts stored messages (including those handed to the
 * consumer and not yet settled); {@code reserved} counts messages being written, so that concurrent senders
 * cannot overshoot the quota together.
 */
final class EndpointQuota {

    /** Makes room by removing one message; returns the bytes it freed, or -1 when nothing may be removed. */
    @FunctionalInterface
    interface Dropper {
        long dropOne(int incomingPriority) throws Exception;
    }

    private final String endpoint;
    private final long maxBytes;
    private final FullPolicy policy;
    private long used;
    private long reserved;

    EndpointQuota(String endpoint, long maxBytes, FullPolicy policy, long recoveredBytes) {
        this.endpoint = endpoint;
        this.maxBytes = maxBytes;
        this.policy = policy;
        this.used = recoveredBytes;
    }

    /**
     * Reserves room for a message of {@code size} bytes, dropping older messages first under
     * {@link FullPolicy#DROP_OLDEST}; throws {@link HubErrorCode#STORE_FULL} when there is no room.
     */
    synchronized void reserve(long size, int priority, Dropper dropper) {
        while (used + reserved + size > maxBytes) {
            long freed = policy == FullPolicy.DROP_OLDEST ? drop(dropper, priority) : -1;
            if (freed < 0) {
                throw new OutpostException(HubErrorCode.STORE_FULL, "endpoint " + endpoint + " is full: "
                        + (used + reserved) + " of " + maxBytes + " bytes used, message of " + size
                        + " bytes refused (policy " + policy.configValue() + ")");
            }
            used -= freed;
        }
        reserved += size;
    }

    private long drop(Dropper dropper, int priority) {
        try {
            return dropper.dropOne(priority);
        } catch (Exception e) {
            throw new OutpostException(HubErrorCode.STORE_UNAVAILABLE, "could not drop a message of endpoint "
                    + endpoint + " to make room", e);
        }
    }

    /** The reserved message was stored ({@code stored}) or not. */
    synchronized void completed(long size, boolean stored) {
        reserved -= size;
        if (stored) {
            used += size;
        }
    }

    /** Messages of {@code bytes} in all left the queue. */
    synchronized void freed(long bytes) {
        used -= bytes;
    }

    synchronized long used() {
        return used;
    }
}
