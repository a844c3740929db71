package io.outpost.cloud.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pool's limits: the component's defaults and the errors that name the bad property. */
class PoolSettingsTest {

    private static final Duration S30 = Duration.ofSeconds(30);
    private static final Duration S5 = Duration.ofSeconds(5);

    @Test
    void givenTheComponentsDefaults_whenMapped_thenTheLimitsAreTheDocumentedOnes() {
        PoolSettings pool = H2DurabilityTest.settings(Path.of("data")).pool();

        assertThat(pool).isEqualTo(new PoolSettings(16, 8, Duration.ofSeconds(5), S30, S5));
        assertThat(pool.connectionWaitText()).isEqualTo("5 s");
    }

    @Test
    void givenBadLimits_whenValidated_thenTheErrorNamesTheProperty() {
        assertThatThrownBy(() -> new PoolSettings(1, 1, S5, S30, S5)).hasMessage(
                "maxConnections must be at least 2 (migrating the schema takes two): 1");
        assertThatThrownBy(() -> new PoolSettings(4, 0, S5, S30, S5)).hasMessage("poolSize must be at least 1: 0");
        assertThatThrownBy(() -> new PoolSettings(4, 8, S5, S30, S5)).hasMessage(
                "poolSize (8) must not exceed maxConnections (4)");
        assertThatThrownBy(() -> new PoolSettings(4, 4, Duration.ZERO, S30, S5)).hasMessage(
                "connectionWaitMs must be positive: PT0S");
        assertThatThrownBy(() -> new PoolSettings(4, 4, S5, Duration.ofSeconds(-1), S5)).hasMessage(
                "idleValidationSecs must be positive: PT-1S");
        assertThatThrownBy(() -> new PoolSettings(4, 4, S5, S30, Duration.ZERO)).hasMessage(
                "validationTimeoutSecs must be positive: PT0S");
    }
}
