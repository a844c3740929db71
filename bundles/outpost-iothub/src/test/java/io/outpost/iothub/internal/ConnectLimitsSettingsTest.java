package io.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.iothub.DialectSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The limits on unauthenticated clients in {@link DialectSettings}: defaults, validation, the busy deadline. */
class ConnectLimitsSettingsTest {

    private final DialectSettings defaults = DialectSettings.defaults();

    @Test
    void givenDefaults_thenLimitsAreTheDocumentedOnes() {
        assertThat(defaults.maxConnectionsPerAddress()).isEqualTo(64);
        assertThat(defaults.maxConnectPacketBytes()).isEqualTo(8 * 1024);
        assertThat(defaults.maxPendingAuthentications()).isEqualTo(64);
        assertThat(defaults.busyUnauthenticated()).isEqualTo(128);
        assertThat(defaults.busyConnectTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void givenBadLimits_whenConfigured_thenRefusedNamingTheSetting() {
        Duration second = Duration.ofSeconds(1);
        assertThatThrownBy(() -> defaults.withConnectLimits(0, 8192, 64, 128, second))
                .hasMessageContaining("maxConnectionsPerAddress");
        assertThatThrownBy(() -> defaults.withConnectLimits(64, 100, 64, 128, second))
                .hasMessageContaining("maxConnectPacketBytes");
        assertThatThrownBy(() -> defaults.withConnectLimits(64, 8192, 0, 128, second))
                .hasMessageContaining("maxPendingAuthentications");
        assertThatThrownBy(() -> defaults.withConnectLimits(64, 8192, 64, 0, second))
                .hasMessageContaining("busyUnauthenticated");
        assertThatThrownBy(() -> defaults.withConnectLimits(64, 8192, 64, 128, Duration.ZERO))
                .hasMessageContaining("busyConnectTimeout");
    }

    @Test
    void givenManyUnauthenticated_whenAConnectionArrives_thenItGetsTheShorterDeadline() {
        assertThat(defaults.connectTimeout(127)).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.connectTimeout(128)).isEqualTo(Duration.ofSeconds(3));
        assertThat(defaults.withConnectTimeout(Duration.ofSeconds(2)).connectTimeout(500))
                .as("never longer than the normal deadline").isEqualTo(Duration.ofSeconds(2));
    }
}
