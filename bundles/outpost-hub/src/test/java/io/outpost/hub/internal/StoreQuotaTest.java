package io.outpost.hub.internal;

import static io.outpost.hub.internal.StoreFixture.HOUR;
import static io.outpost.hub.internal.StoreFixture.drain;
import static io.outpost.hub.internal.StoreFixture.labels;
import static io.outpost.hub.internal.StoreFixture.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outpost.common.ManualClock;
import io.outpost.common.OutpostException;
import io.outpost.hub.FullPolicy;
import io.outpost.hub.HubErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreQuotaTest {

    private static final String ENDPOINT = "$upstream";
    /** Every test message has a two-character label, so all have this size. */
    private static final long SIZE = message("m1").sizeBytes();

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.atEpochOf2026();

    @Test
    void givenRejectPolicy_whenQuotaReached_thenSenderGetsStoreFullAndNothingAcceptedIsLost() throws Exception {
        try (ArtemisMessageStore store = StoreFixture.open(dir, clock, 3 * SIZE, FullPolicy.REJECT)) {
            store.enqueue(ENDPOINT, message("m1"), 9, HOUR);
            store.enqueue(ENDPOINT, message("m2"), 0, HOUR);
            store.enqueue(ENDPOINT, message("m3"), 5, HOUR);

            assertThatThrownBy(() -> store.enqueue(ENDPOINT, message("m4"), 0, HOUR))
                    .isInstanceOfSatisfying(OutpostException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(HubErrorCode.STORE_FULL);
                        assertThat(e.retryable()).isTrue();
                    });

            assertThat(labels(drain(store, ENDPOINT))).containsExactly("m2", "m3", "m1");
            assertThat(store.stats(ENDPOINT).droppedTotal()).isZero();
            store.enqueue(ENDPOINT, message("m5"), 0, HOUR);
            // a returned enqueue is on disk; the broker counts the message an instant later
            await().atMost(Duration.ofSeconds(10)).until(() -> store.stats(ENDPOINT).length() == 1);
            assertThat(labels(drain(store, ENDPOINT))).containsExactly("m5");
        }
    }

    @Test
    void givenDropOldestPolicy_whenQuotaReached_thenOldestOfLowestPriorityGoFirstAndAreCounted() throws Exception {
        try (ArtemisMessageStore store = StoreFixture.open(dir, clock, 4 * SIZE, FullPolicy.DROP_OLDEST)) {
            store.enqueue(ENDPOINT, message("a5"), 5, HOUR);
            store.enqueue(ENDPOINT, message("b9"), 9, HOUR);
            store.enqueue(ENDPOINT, message("c9"), 9, HOUR);
            store.enqueue(ENDPOINT, message("d0"), 0, HOUR);

            store.enqueue(ENDPOINT, message("e5"), 5, HOUR);
            store.enqueue(ENDPOINT, message("f9"), 9, HOUR);
            store.enqueue(ENDPOINT, message("g3"), 3, HOUR);

            assertThat(store.stats(ENDPOINT).droppedTotal()).isEqualTo(3);
            assertThat(store.stats(ENDPOINT).bytes()).isEqualTo(4 * SIZE);
            assertThat(labels(drain(store, ENDPOINT))).containsExactly("d0", "g3", "a5", "e5");
        }
    }

    @Test
    void givenDropOldestAndOnlyHigherPrioritiesStored_whenLowPriorityArrives_thenItIsRefused() throws Exception {
        try (ArtemisMessageStore store = StoreFixture.open(dir, clock, 2 * SIZE, FullPolicy.DROP_OLDEST)) {
            store.enqueue(ENDPOINT, message("x0"), 0, HOUR);
            store.enqueue(ENDPOINT, message("y1"), 1, HOUR);

            assertThatThrownBy(() -> store.enqueue(ENDPOINT, message("z9"), 9, HOUR))
                    .isInstanceOfSatisfying(OutpostException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.STORE_FULL));

            assertThat(store.stats(ENDPOINT).droppedTotal()).isZero();
            assertThat(labels(drain(store, ENDPOINT))).containsExactly("x0", "y1");
        }
    }

    @Test
    void givenHandedOutMessages_whenQuotaReachedUnderDropOldest_thenUnsettledMessagesAreNotDropped()
            throws Exception {
        try (ArtemisMessageStore store = StoreFixture.open(dir, clock, 2 * SIZE, FullPolicy.DROP_OLDEST)) {
            store.enqueue(ENDPOINT, message("h9"), 9, HOUR);
            store.enqueue(ENDPOINT, message("i9"), 9, HOUR);
            assertThat(labels(store.poll(ENDPOINT, 1, java.time.Duration.ZERO))).containsExactly("h9");

            // h9 is handed out, i9 read ahead by the endpoint's consumer: neither may be dropped
            assertThatThrownBy(() -> store.enqueue(ENDPOINT, message("j9"), 9, HOUR))
                    .isInstanceOfSatisfying(OutpostException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.STORE_FULL));

            // once released, nothing is handed out or read ahead: the oldest goes
            store.release(ENDPOINT);
            store.enqueue(ENDPOINT, message("k9"), 9, HOUR);
            assertThat(labels(drain(store, ENDPOINT))).containsExactly("i9", "k9");
            assertThat(store.stats(ENDPOINT).droppedTotal()).isEqualTo(1);
        }
    }
}
