package io.outpost.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void givenManualClock_whenAdvanced_thenWallAndMonotonicTimeMoveTogether() {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
        long start = clock.monotonicNanos();

        clock.advance(Duration.ofMillis(1500));

        assertThat(clock.now()).isEqualTo(Instant.parse("2026-03-01T10:00:01.500Z"));
        assertThat(clock.since(start)).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void givenNegativeDuration_whenAdvanced_thenRefused() {
        ManualClock clock = ManualClock.atEpochOf2026();

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.now()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void givenSystemClock_whenRead_thenMonotonicNeverGoesBack() {
        long a = SystemClock.INSTANCE.monotonicNanos();
        long b = SystemClock.INSTANCE.monotonicNanos();

        assertThat(b).isGreaterThanOrEqualTo(a);
        assertThat(SystemClock.INSTANCE.since(a).isNegative()).isFalse();
    }
}
