package io.outpost.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void givenAzureRule_whenFailuresGrow_thenDelayDoublesFromTenSecondsAndCapsAtFiveMinutes() {
        Backoff backoff = Backoff.azureModuleRestart();

        assertThat(backoff.delay(0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.delay(4)).isEqualTo(Duration.ofSeconds(160));
        assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(300));
        assertThat(backoff.delay(20)).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void givenHugeFailureCount_whenDelay_thenCappedWithoutOverflow() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), 10.0, Duration.ofHours(1));

        assertThat(backoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void givenManualClock_whenCoolOffNotOver_thenNotElapsed() {
        ManualClock clock = ManualClock.atEpochOf2026();
        Backoff backoff = Backoff.azureModuleRestart();
        long failedAt = clock.monotonicNanos();

        clock.advance(Duration.ofSeconds(19));
        assertThat(backoff.elapsed(1, failedAt, clock.monotonicNanos())).isFalse();

        clock.advance(Duration.ofSeconds(1));
        assertThat(backoff.elapsed(1, failedAt, clock.monotonicNanos())).isTrue();
    }

    @Test
    void givenInvalidParameters_whenConstructed_thenErrorNamesTheParameter() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, 2, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Double.NaN, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max");
        assertThatThrownBy(() -> Backoff.azureModuleRestart().delay(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failures");
    }
}
