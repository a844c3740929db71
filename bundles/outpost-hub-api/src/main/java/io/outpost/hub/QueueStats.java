package io.outpost.hub;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The state of one endpoint's queue. Lengths and bytes count every message still held for the endpoint,
 * including those delivered to its consumer and not yet acknowledged; dead letters are counted apart.
 *
 * @param length            messages held
 * @param bytes             their size as the quota counts it ({@link Message#sizeBytes()})
 * @param oldestMessageAge  age of the oldest message held, {@link Duration#ZERO} when the queue is empty
 * @param expiredTotal      messages removed because their TTL passed (reason ttl_expiry), since the store started
 * @param droppedTotal      messages removed by the drop-oldest full policy, since the store started
 * @param deadLetteredTotal messages set aside as invalid, since the store started
 * @param deadLetterLength  dead letters currently kept for the endpoint
 * @param lengthByPriority  {@code length} split by priority; index 0 is priority 0 (the highest)
 */
public record QueueStats(String endpoint, long length, long bytes, Duration oldestMessageAge, long expiredTotal,
                         long droppedTotal, long deadLetteredTotal, long deadLetterLength,
                         List<Long> lengthByPriority) {

    public QueueStats {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(oldestMessageAge, "oldestMessageAge");
        lengthByPriority = List.copyOf(lengthByPriority);
        if (lengthByPriority.size() != Priorities.LEVELS) {
            throw new IllegalArgumentException("lengthByPriority needs " + Priorities.LEVELS + " entries: "
                    + lengthByPriority);
        }
    }

    /** The number of messages held at one priority. */
    public long length(int priority) {
        return lengthByPriority.get(Priorities.check(priority));
    }
}
