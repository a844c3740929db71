package io.outpost.hub.internal;

import static io.outpost.hub.internal.StoreFixture.HOUR;
import static io.outpost.hub.internal.StoreFixture.drain;
import static io.outpost.hub.internal.StoreFixture.labels;
import static io.outpost.hub.internal.StoreFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import io.outpost.hub.StoredMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreRestartTest {

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.atEpochOf2026();

    @Test
    void givenAckedAndUnackedMessages_whenStoreReopened_thenOnlyUnackedAreDelivered() throws Exception {
        List<StoredMessage> handedOut;
        try (ArtemisMessageStore store = StoreFixture.open(dir, clock)) {
            for (String s : List.of("m1", "m2", "m3", "m4", "m5")) {
                store.enqueue("mod/in", message(s), 4, HOUR);
            }
            store.enqueue("$upstream", message("up"), 0, HOUR);
            handedOut = store.poll("mod/in", 3, Duration.ZERO);
            store.ack("mod/in", List.of(handedOut.get(0).id(), handedOut.get(1).id()));
        }

        try (ArtemisMessageStore reopened = StoreFixture.open(dir, clock)) {
            assertThat(reopened.endpoints()).containsExactlyInAnyOrder("mod/in", "$upstream");
            assertThat(reopened.stats("mod/in").bytes()).isEqualTo(3 * message("m1").sizeBytes());
            List<StoredMessage> delivered = drain(reopened, "mod/in");
            assertThat(labels(delivered)).containsExactly("m3", "m4", "m5");
            assertThat(delivered.get(0)).isEqualTo(handedOut.get(2));
            assertThat(labels(drain(reopened, "$upstream"))).containsExactly("up");
        }
    }

    @Test
    void givenDeadLettersAndPriorities_whenStoreReopened_thenBothSurvive() throws Exception {
        try (ArtemisMessageStore store = StoreFixture.open(dir, clock)) {
            store.enqueue("e", message("bad"), 0, HOUR);
            store.enqueue("e", message("p9"), 9, HOUR);
            store.enqueue("e", message("p2"), 2, HOUR);
            StoredMessage bad = store.poll("e", 1, Duration.ZERO).get(0);
            store.setInvalid("e", List.of(bad.id()), "schema");
        }

        try (ArtemisMessageStore reopened = StoreFixture.open(dir, clock)) {
            assertThat(reopened.deadLetters("e", 10)).singleElement()
                    .satisfies(l -> assertThat(l.reason()).isEqualTo("schema"));
            assertThat(labels(drain(reopened, "e"))).containsExactly("p2", "p9");
        }
    }

    @Test
    void givenExpiryDue_whenStoreReopenedLater_thenExpiredAreNotDelivered() throws Exception {
        try (ArtemisMessageStore store = StoreFixture.open(dir, clock)) {
            store.enqueue("e", message("s1"), 0, Duration.ofSeconds(30));
            store.enqueue("e", message("l1"), 0, Duration.ofHours(2));
        }
        clock.advance(Duration.ofMinutes(1));

        try (ArtemisMessageStore reopened = StoreFixture.open(dir, clock)) {
            assertThat(labels(drain(reopened, "e"))).containsExactly("l1");
            assertThat(reopened.stats("e").expiredTotal()).isEqualTo(1);
        }
    }
}
