package io.outpost.hub.internal;

import static io.outpost.hub.internal.StoreFixture.HOUR;
import static io.outpost.hub.internal.StoreFixture.drain;
import static io.outpost.hub.internal.StoreFixture.labels;
import static io.outpost.hub.internal.StoreFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import io.outpost.hub.DeadLetter;
import io.outpost.hub.MessageStore;
import io.outpost.hub.QueueStats;
import io.outpost.hub.StoredMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtemisMessageStoreTest {

    private static final String ENDPOINT = "filter/input1";

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.atEpochOf2026();
    private ArtemisMessageStore store;

    @BeforeEach
    void openStore() {
        store = StoreFixture.open(dir, clock);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /**
     * Group commit: many senders with many writes in flight each; every write completes, lands in every endpoint
     * of its placements, and each sender's messages keep their order in each queue.
     */
    @Test
    void givenManySendersWithWritesInFlight_whenEnqueuedAll_thenEveryMessageStoredInEachEndpointInSenderOrder()
            throws Exception {
        String other = "$upstream";
        int senders = 8;
        int perSender = 300;
        List<CompletableFuture<List<String>>> writes = new ArrayList<>();
        for (int i = 0; i < perSender; i++) {
            for (int s = 0; s < senders; s++) {
                writes.add(store.enqueueAll(List.of(new MessageStore.Placement(ENDPOINT, 3, HOUR),
                        new MessageStore.Placement(other, 3, null)), message(s + ":" + i), "sender-" + s));
            }
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(writes).allSatisfy(w -> assertThat(w.join()).hasSize(2).doesNotHaveDuplicates());

        for (String endpoint : List.of(ENDPOINT, other)) {
            List<String> stored = labels(drain(store, endpoint));
            assertThat(stored).as(endpoint).hasSize(senders * perSender).doesNotHaveDuplicates();
            for (int s = 0; s < senders; s++) {
                String prefix = s + ":";
                List<Integer> order = stored.stream().filter(l -> l.startsWith(prefix))
                        .map(l -> Integer.parseInt(l.substring(prefix.length()))).toList();
                assertThat(order).as("sender %d's order in %s", s, endpoint).isSorted().hasSize(perSender);
            }
        }
    }

    /** A wake-up ends a waiting poll of the endpoint with what it has, here nothing, long before its timeout. */
    @Test
    void givenAPollWaiting_whenWokenUp_thenItEndsEmptyBeforeItsTimeout() throws Exception {
        CompletableFuture<List<StoredMessage>> polled = CompletableFuture.supplyAsync(() -> {
            try {
                return store.poll(ENDPOINT, 10, Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // whether the wake-up comes while the poll waits or before it began, the poll ends
        store.wakeUp(ENDPOINT);
        assertThat(polled.get(60, TimeUnit.SECONDS)).isEmpty();
    }

    /** A wake-up while no poll waits ends the next poll at once, once: the one after it waits for a message. */
    @Test
    void givenAWakeUpBeforeThePoll_whenPolledTwice_thenTheFirstEndsAtOnceAndTheSecondGetsTheMessage()
            throws Exception {
        store.wakeUp(ENDPOINT);
        assertThat(store.poll(ENDPOINT, 10, Duration.ofMinutes(10))).isEmpty();
        CompletableFuture<List<StoredMessage>> polled = CompletableFuture.supplyAsync(() -> {
            try {
                return store.poll(ENDPOINT, 10, Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        store.enqueue(ENDPOINT, message("after the wake-up"), 3);
        assertThat(labels(polled.get(60, TimeUnit.SECONDS))).containsExactly("after the wake-up");
    }

    /** Every completed write is handed to the consumer that polls right after it, one after another. */
    @Test
    void givenWriteCompleted_whenPolledAtOnce_thenHandedOut() throws Exception {
        for (int i = 0; i < 300; i++) {
            store.enqueueAll(List.of(new MessageStore.Placement(ENDPOINT, 3, HOUR)), message("m" + i), "sender")
                    .get(10, TimeUnit.SECONDS);
            List<StoredMessage> polled = store.poll(ENDPOINT, 10, Duration.ofSeconds(5));
            assertThat(labels(polled)).as("polled after write %d", i).containsExactly("m" + i);
            store.ack(ENDPOINT, List.of(polled.get(0).id()));
        }
    }

    @Test
    void givenOnePlacementInvalid_whenEnqueuedAll_thenFailsAndNothingIsStoredOrReserved() throws Exception {
        CompletableFuture<List<String>> write = store.enqueueAll(List.of(new MessageStore.Placement(ENDPOINT, 3, HOUR),
                new MessageStore.Placement("$upstream", 12, HOUR)), message("x"), "sender");

        assertThat(write).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalArgumentException.class);
        assertThat(store.stats(ENDPOINT).length()).isZero();
        assertThat(store.stats(ENDPOINT).bytes()).isZero();
    }

    @Test
    void givenMixedPriorities_whenDrained_thenHighestFirstAndFifoWithinPriority() throws Exception {
        String[][] sent = {{"a", "5"}, {"b", "9"}, {"c", "0"}, {"d", "5"}, {"e", "0"}, {"f", "3"}, {"g", "9"}};
        for (String[] s : sent) {
            store.enqueue(ENDPOINT, message(s[0]), Integer.parseInt(s[1]), HOUR);
        }

        List<StoredMessage> delivered = drain(store, ENDPOINT);

        assertThat(labels(delivered)).containsExactly("c", "e", "f", "a", "d", "b", "g");
        assertThat(delivered).extracting(StoredMessage::priority).containsExactly(0, 0, 3, 5, 5, 9, 9);
    }

    @Test
    void givenLowPriorityDelivered_whenHigherPriorityArrives_thenItIsServedNext() throws Exception {
        store.enqueue(ENDPOINT, message("low-1"), 9, HOUR);
        store.enqueue(ENDPOINT, message("low-2"), 9, HOUR);
        List<StoredMessage> first = store.poll(ENDPOINT, 1, Duration.ZERO);
        store.ack(ENDPOINT, List.of(first.get(0).id()));

        store.enqueue(ENDPOINT, message("high"), 0, HOUR);

        assertThat(labels(drain(store, ENDPOINT))).containsExactly("high", "low-2");
    }

    @Test
    void givenMessage_whenPolled_thenContentAndTimesAreKept() throws Exception {
        String id = store.enqueue(ENDPOINT, message("hello"), 4, Duration.ofSeconds(30));

        StoredMessage m = store.poll(ENDPOINT, 10, Duration.ZERO).get(0);

        assertThat(m.id()).isEqualTo(id);
        assertThat(m.endpoint()).isEqualTo(ENDPOINT);
        assertThat(m.priority()).isEqualTo(4);
        assertThat(m.message()).isEqualTo(message("hello"));
        assertThat(m.enqueuedAt()).isEqualTo(clock.now());
        assertThat(m.expiresAt()).isEqualTo(clock.now().plusSeconds(30));
    }

    @Test
    void givenTtlPassed_whenPolled_thenExpiredNeverDeliveredAndCounted() throws Exception {
        store.enqueue(ENDPOINT, message("short-1"), 2, Duration.ofSeconds(10));
        store.enqueue(ENDPOINT, message("long"), 2, Duration.ofSeconds(100));
        store.enqueue(ENDPOINT, message("short-2"), 7, Duration.ofSeconds(10));

        clock.advance(Duration.ofSeconds(10));

        assertThat(labels(drain(store, ENDPOINT))).containsExactly("long");
        assertThat(store.stats(ENDPOINT).expiredTotal()).isEqualTo(2);
    }

    @Test
    void givenExpiredBehindLiveMessages_whenSwept_thenRemovedAndCounted() throws Exception {
        store.enqueue(ENDPOINT, message("long"), 1, Duration.ofSeconds(100));
        store.enqueue(ENDPOINT, message("shrt"), 1, Duration.ofSeconds(5));
        long oneMessage = message("long").sizeBytes();

        clock.advance(Duration.ofSeconds(6));

        assertThat(store.sweepExpired()).isEqualTo(1);
        QueueStats stats = store.stats(ENDPOINT);
        assertThat(stats.length()).isEqualTo(1);
        assertThat(stats.bytes()).isEqualTo(oneMessage);
        assertThat(stats.expiredTotal()).isEqualTo(1);
        assertThat(labels(drain(store, ENDPOINT))).containsExactly("long");
    }

    @Test
    void givenInvalidMessage_whenSetInvalid_thenDeadLetteredKeptCountedAndNotRedelivered() throws Exception {
        store.enqueue(ENDPOINT, message("poison"), 1, HOUR);
        store.enqueue(ENDPOINT, message("good"), 1, HOUR);
        List<StoredMessage> batch = store.poll(ENDPOINT, 10, Duration.ZERO);

        store.setInvalid(ENDPOINT, List.of(batch.get(0).id()), "not JSON");
        store.ack(ENDPOINT, List.of(batch.get(1).id()));
        store.release(ENDPOINT);

        assertThat(store.poll(ENDPOINT, 10, Duration.ZERO)).isEmpty();
        List<DeadLetter> letters = store.deadLetters(ENDPOINT, 10);
        assertThat(letters).singleElement().satisfies(l -> {
            assertThat(l.reason()).isEqualTo("not JSON");
            assertThat(l.message()).isEqualTo(batch.get(0));
            assertThat(l.deadLetteredAt()).isEqualTo(clock.now());
        });
        QueueStats stats = store.stats(ENDPOINT);
        assertThat(stats.deadLetteredTotal()).isEqualTo(1);
        assertThat(stats.deadLetterLength()).isEqualTo(1);
        assertThat(stats.length()).isZero();
    }

    @Test
    void givenUnackedBatch_whenReleased_thenRedeliveredInOriginalOrder() throws Exception {
        for (String s : List.of("1", "2", "3", "4")) {
            store.enqueue(ENDPOINT, message(s), 6, HOUR);
        }
        List<StoredMessage> first = store.poll(ENDPOINT, 3, Duration.ZERO);
        store.ack(ENDPOINT, List.of(first.get(0).id()));

        store.release(ENDPOINT);

        assertThat(labels(drain(store, ENDPOINT))).containsExactly("2", "3", "4");
    }

    @Test
    void givenMessages_whenStatsRead_thenLengthBytesAgeAndPerPriorityLengthsAreCorrect() throws Exception {
        store.enqueue(ENDPOINT, message("x"), 0, HOUR);
        long oneMessage = store.stats(ENDPOINT).bytes();
        clock.advance(Duration.ofMinutes(5));
        store.enqueue(ENDPOINT, message("y"), 9, HOUR);
        store.enqueue(ENDPOINT, message("z"), 9, HOUR);
        clock.advance(Duration.ofMinutes(1));

        QueueStats stats = store.stats(ENDPOINT);

        assertThat(oneMessage).isEqualTo(message("x").sizeBytes());
        assertThat(stats.length()).isEqualTo(3);
        assertThat(stats.bytes()).isEqualTo(3 * oneMessage);
        assertThat(stats.oldestMessageAge()).isEqualTo(Duration.ofMinutes(6));
        assertThat(stats.length(0)).isEqualTo(1);
        assertThat(stats.length(9)).isEqualTo(2);
        assertThat(stats.lengthByPriority()).containsExactly(1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 2L);

        List<StoredMessage> handedOut = store.poll(ENDPOINT, 1, Duration.ZERO);
        assertThat(store.stats(ENDPOINT).oldestMessageAge()).isEqualTo(Duration.ofMinutes(6));
        store.ack(ENDPOINT, List.of(handedOut.get(0).id()));
        QueueStats after = store.stats(ENDPOINT);
        assertThat(after.length()).isEqualTo(2);
        assertThat(after.bytes()).isEqualTo(2 * oneMessage);
        assertThat(after.oldestMessageAge()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void givenEmptyQueue_whenPolledWithTimeout_thenReturnsEmptyAfterTimeout() throws Exception {
        assertThat(store.poll(ENDPOINT, 5, Duration.ofMillis(50))).isEmpty();
        QueueStats stats = store.stats(ENDPOINT);
        assertThat(stats.length()).isZero();
        assertThat(stats.oldestMessageAge()).isEqualTo(Duration.ZERO);
        assertThat(store.endpoints()).containsExactly(ENDPOINT);
    }

    @Test
    void givenWaitingConsumer_whenMessageEnqueued_thenPollReturnsIt() throws Exception {
        Thread producer = new Thread(() -> store.enqueue("$upstream", message("late"), 0, HOUR));
        producer.start();

        List<StoredMessage> batch = store.poll("$upstream", 5, Duration.ofSeconds(20));
        producer.join();

        assertThat(labels(batch)).containsExactly("late");
        assertThat(batch.get(0).systemProperties()).isEqualTo(Map.of("$.ct", "text/plain"));
    }
}
