package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.iothub.DialectSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The listener's limits on connections per address and on SAS token lifetimes. */
class MqttSettingsLimitsTest {

    private final MqttSettings defaults = MqttSettings.of("127.0.0.1", 8883, 0);

    @Test
    void givenDefaults_thenSixtyFourPerAddressAndOneYearTokens() {
        assertThat(defaults.maxConnectionsPerAddress()).isEqualTo(64);
        assertThat(defaults.maxTokenLifetime()).isEqualTo(Duration.ofDays(365));
        DialectSettings dialect = defaults.withLimits(10, Duration.ofHours(1)).dialect(password -> null);
        assertThat(dialect.maxConnectionsPerAddress()).isEqualTo(10);
    }

    @Test
    void givenBadLimits_whenConfigured_thenRefusedNamingTheSetting() {
        assertThatThrownBy(() -> defaults.withLimits(0, Duration.ofDays(1)))
                .hasMessageContaining("mqttMaxConnectionsPerAddress");
        assertThatThrownBy(() -> defaults.withLimits(64, Duration.ZERO))
                .hasMessageContaining("mqttMaxTokenLifetimeSecs");
    }
}
