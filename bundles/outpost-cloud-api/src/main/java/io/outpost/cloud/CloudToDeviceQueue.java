package io.outpost.cloud;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The durable per-device queues of cloud-to-device messages, shared by every cloud node that uses the same store.
 * A message stays {@link C2dState#QUEUED} until the device acknowledged it ({@link #delivered}), it expired or it
 * was purged; messages past their expiry are marked {@link C2dState#EXPIRED} whenever the queue is read. Finished
 * messages (delivered, expired, purged) are kept for {@link #FINISHED_RETENTION_HOURS} hours, then removed.
 */
@ProviderType
public interface CloudToDeviceQueue {

    /** Hours that finished messages stay listed (IoT Hub's longest time to live). */
    int FINISHED_RETENTION_HOURS = 48;

    /**
     * Queues a message (whose id is set) for a device; it expires when its {@code ttl} (positive) has passed from
     * now.
     *
     * @throws io.outpost.common.OutpostException {@link CloudErrorCode#NOT_FOUND} when the device does not exist,
     *         {@link CloudErrorCode#QUEUE_FULL} when {@code maxQueued} unexpired messages already wait for it
     */
    C2dEntry enqueue(String deviceId, CloudToDeviceMessage message, int maxQueued);

    /** Up to {@code limit} queued, unexpired messages of the device, oldest first (expiring the overdue ones). */
    List<C2dEntry> next(String deviceId, int limit);

    /** Counts one more delivery attempt of a queued message; whether it was still queued. */
    boolean attempted(long seq);

    /** Marks a queued message delivered (the device's PUBACK came); whether it was still queued. */
    boolean delivered(long seq);

    /** Every message kept for the device, oldest first (expiring the overdue ones). */
    List<C2dEntry> list(String deviceId);

    /** How many kept messages of the device are in each state (every state present, zero for none). */
    Map<C2dState, Long> counts(String deviceId);

    /** Marks every queued message of the device purged; how many. Fails NOT_FOUND for an unknown device. */
    int purge(String deviceId);

    /** The devices with at least one queued, unexpired message. */
    Set<String> devicesWithQueued();
}
