package io.outpost.cloud.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.cloud.C2dEntry;
import io.outpost.cloud.C2dState;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.CloudToDeviceMessage;
import io.outpost.cloud.CloudToDeviceQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cloud-to-device queue suite; subclasses run it on H2 and on PostgreSQL. */
abstract class C2dQueueContract extends StoreTestBase {

    private CloudToDeviceQueue queue;

    @BeforeEach
    void devices() {
        queue = store.c2d();
        store.registry().create("dev-1", KEYS, "{}");
        store.registry().create("dev-2", KEYS, "{}");
    }

    private static CloudToDeviceMessage message(String id, Duration ttl) {
        return new CloudToDeviceMessage(id, "corr-" + id, "application/json", "utf-8", ttl,
                Map.of("color", "red", "n", id), ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void givenQueuedMessages_whenRead_thenOldestFirstWithEverythingStored() {
        C2dEntry first = queue.enqueue("dev-1", message("m-1", Duration.ofMinutes(10)), 50);
        queue.enqueue("dev-2", message("other", Duration.ofMinutes(10)), 50);
        queue.enqueue("dev-1", message("m-2", Duration.ofMinutes(10)), 50);

        List<C2dEntry> next = queue.next("dev-1", 10);

        assertThat(next).extracting(e -> e.message().messageId()).containsExactly("m-1", "m-2");
        C2dEntry read = next.get(0);
        assertThat(read).isEqualTo(first);
        assertThat(read.message()).isEqualTo(message("m-1", Duration.ofMinutes(10)));
        assertThat(read.state()).isEqualTo(C2dState.QUEUED);
        assertThat(read.enqueuedAt()).isEqualTo(clock.now());
        assertThat(read.expiresAt()).isEqualTo(clock.now().plus(Duration.ofMinutes(10)));
        assertThat(queue.next("dev-1", 1)).hasSize(1);
        assertThat(queue.devicesWithQueued()).containsExactly("dev-1", "dev-2");
    }

    @Test
    void givenQueuedMessage_whenAttemptedThenDelivered_thenItLeavesTheQueueOnceAndIsCounted() {
        C2dEntry e = queue.enqueue("dev-1", message("m-1", Duration.ofMinutes(10)), 50);

        assertThat(queue.attempted(e.seq())).isTrue();
        assertThat(queue.attempted(e.seq())).isTrue();
        clock.advance(Duration.ofSeconds(5));
        assertThat(queue.delivered(e.seq())).isTrue();
        assertThat(queue.delivered(e.seq())).as("a second PUBACK, e.g. from another node").isFalse();
        assertThat(queue.attempted(e.seq())).isFalse();

        assertThat(queue.next("dev-1", 10)).isEmpty();
        assertThat(queue.devicesWithQueued()).isEmpty();
        C2dEntry listed = queue.list("dev-1").get(0);
        assertThat(listed.state()).isEqualTo(C2dState.DELIVERED);
        assertThat(listed.deliveryCount()).isEqualTo(2);
        assertThat(listed.stateChangedAt()).isEqualTo(clock.now());
        assertThat(queue.counts("dev-1")).containsEntry(C2dState.DELIVERED, 1L).containsEntry(C2dState.QUEUED, 0L);
    }

    @Test
    void givenMessagePastItsExpiry_whenRead_thenNeverHandedOutAndCountedExpired() {
        queue.enqueue("dev-1", message("short", Duration.ofSeconds(30)), 50);
        queue.enqueue("dev-1", message("long", Duration.ofHours(1)), 50);

        clock.advance(Duration.ofSeconds(30));

        assertThat(queue.devicesWithQueued()).containsExactly("dev-1");
        assertThat(queue.next("dev-1", 10)).extracting(e -> e.message().messageId()).containsExactly("long");
        assertThat(queue.counts("dev-1")).containsEntry(C2dState.EXPIRED, 1L).containsEntry(C2dState.QUEUED, 1L);
        C2dEntry expired = queue.list("dev-1").get(0);
        assertThat(expired.state()).isEqualTo(C2dState.EXPIRED);
        assertThat(expired.stateChangedAt()).isEqualTo(expired.expiresAt());
        assertThat(queue.delivered(expired.seq())).as("a late PUBACK does not revive it").isFalse();
    }

    @Test
    void givenFullQueue_whenAnotherIsQueued_thenQueueFullUntilOneLeaves() {
        C2dEntry first = queue.enqueue("dev-1", message("m-1", Duration.ofMinutes(10)), 2);
        queue.enqueue("dev-1", message("m-2", Duration.ofMinutes(10)), 2);

        var e = thrown(CloudErrorCode.QUEUE_FULL,
                () -> queue.enqueue("dev-1", message("m-3", Duration.ofMinutes(10)), 2));
        assertThat(e.getMessage()).contains("dev-1").contains("DeviceMaximumQueueDepthExceeded");
        queue.enqueue("dev-2", message("m-3", Duration.ofMinutes(10)), 2);

        queue.delivered(first.seq());
        queue.enqueue("dev-1", message("m-3", Duration.ofMinutes(10)), 2);
        assertThat(queue.next("dev-1", 10)).extracting(x -> x.message().messageId()).containsExactly("m-2", "m-3");
    }

    @Test
    void givenConcurrentSendersOnTwoStores_whenTheyFillOneQueue_thenTheLimitHolds() throws Exception {
        try (CloudStore other = CloudStore.open(settings, clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> results = new java.util.ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    CloudToDeviceQueue q = i % 2 == 0 ? queue : other.c2d();
                    String id = "m-" + i;
                    results.add(pool.submit(() -> {
                        try {
                            q.enqueue("dev-1", message(id, Duration.ofMinutes(10)), 5);
                            return true;
                        } catch (io.outpost.common.OutpostException ex) {
                            assertThat(ex.errorCode()).isEqualTo(CloudErrorCode.QUEUE_FULL);
                            return false;
                        }
                    }));
                }
                long accepted = 0;
                for (Future<Boolean> f : results) {
                    accepted += f.get() ? 1 : 0;
                }
                assertThat(accepted).isEqualTo(5);
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(queue.counts("dev-1")).containsEntry(C2dState.QUEUED, 5L);
    }

    @Test
    void givenQueuedMessages_whenPurged_thenPurgedNotDeliveredAndUnknownDevicesNotFound() {
        queue.enqueue("dev-1", message("m-1", Duration.ofMinutes(10)), 50);
        C2dEntry done = queue.enqueue("dev-1", message("m-2", Duration.ofMinutes(10)), 50);
        queue.delivered(done.seq());
        queue.enqueue("dev-1", message("m-3", Duration.ofMinutes(10)), 50);

        assertThat(queue.purge("dev-1")).isEqualTo(2);

        assertThat(queue.next("dev-1", 10)).isEmpty();
        assertThat(queue.list("dev-1")).extracting(C2dEntry::state)
                .containsExactly(C2dState.PURGED, C2dState.DELIVERED, C2dState.PURGED);
        assertThat(queue.counts("dev-1")).containsEntry(C2dState.PURGED, 2L).containsEntry(C2dState.DELIVERED, 1L);
        thrown(CloudErrorCode.NOT_FOUND, () -> queue.purge("nobody"));
        thrown(CloudErrorCode.NOT_FOUND, () -> queue.list("nobody"));
        thrown(CloudErrorCode.NOT_FOUND,
                () -> queue.enqueue("nobody", message("x", Duration.ofMinutes(10)), 50));
    }

    @Test
    void givenFinishedMessages_whenOlderThanTheRetention_thenRemovedAndTheDevicesRemovalTakesItsQueue() {
        C2dEntry done = queue.enqueue("dev-1", message("m-1", Duration.ofMinutes(10)), 50);
        queue.delivered(done.seq());
        queue.enqueue("dev-1", message("m-2", Duration.ofHours(48)), 50);
        queue.enqueue("dev-2", message("m-3", Duration.ofHours(1)), 50);

        clock.advance(Duration.ofHours(CloudToDeviceQueue.FINISHED_RETENTION_HOURS).plusMinutes(1));

        assertThat(queue.list("dev-1")).extracting(e -> e.message().messageId()).containsExactly("m-2");
        assertThat(store.prune()).isGreaterThanOrEqualTo(1);
        store.registry().delete("dev-2");
        assertThat(queue.devicesWithQueued()).isEmpty();
        assertThat(queue.list("dev-1")).extracting(C2dEntry::state).containsExactly(C2dState.EXPIRED);
    }
}
