package io.outpost.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubValuesTest {

    @Test
    void givenConfigValues_whenParsed_thenPoliciesAreRecognised() {
        assertThat(FullPolicy.parse("reject")).isEqualTo(FullPolicy.REJECT);
        assertThat(FullPolicy.parse(" Drop_Oldest ")).isEqualTo(FullPolicy.DROP_OLDEST);
        assertThatThrownBy(() -> FullPolicy.parse("block")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("block");
    }

    @Test
    void givenPriorityOutsideRange_whenChecked_thenRefused() {
        assertThat(Priorities.check(0)).isZero();
        assertThat(Priorities.check(9)).isEqualTo(9);
        assertThatThrownBy(() -> Priorities.check(10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Priorities.check(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenPropertiesAndBody_whenSized_thenUtf8BytesOfNamesValuesAndBodyCount() {
        Message m = new Message(Map.of("$.cid", "é"), Map.of("k", "vv"), new byte[10]);

        assertThat(m.sizeBytes()).isEqualTo(5 + 2 + 1 + 2 + 10);
    }

    @Test
    void givenMutableInputs_whenRecorded_thenCopiesAreKept() {
        byte[] body = {1, 2};
        Message m = Message.of(body);
        body[0] = 9;

        assertThat(m.body()).containsExactly(1, 2);
        assertThat(m).isEqualTo(Message.of(new byte[] {1, 2}));
    }

    @Test
    void givenStatsWithWrongPriorityCount_whenCreated_thenRefused() {
        assertThatThrownBy(() -> new QueueStats("e", 0, 0, Duration.ZERO, 0, 0, 0, 0, Collections.nCopies(3, 0L)))
                .isInstanceOf(IllegalArgumentException.class);
        StoredMessage s = new StoredMessage("1", "e", 3, Instant.EPOCH, Instant.EPOCH, Map.of(), Map.of(),
                new byte[] {1});
        assertThat(s.message()).isEqualTo(Message.of(new byte[] {1}));
    }
}
