package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.hub.FullPolicy;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {

    @Test
    void givenDefaults_whenMapped_thenDataDirIsUnderKarafData() {
        StoreSettings settings = StoreSettings.from(config("", 1024, "reject", 7200), "/opt/outpost/data");

        assertThat(settings.dataDir()).isEqualTo(Path.of("/opt/outpost/data/outpost/store"));
        assertThat(settings.fullPolicy()).isEqualTo(FullPolicy.REJECT);
        assertThat(settings.defaultTtl()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void givenBadValues_whenMapped_thenThePropertyIsNamed() {
        assertThatThrownBy(() -> StoreSettings.from(config("/s", 1024, "block", 7200), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fullPolicy");
        assertThatThrownBy(() -> StoreSettings.from(config("/s", 0, "reject", 7200), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSizeBytes");
        assertThatThrownBy(() -> StoreSettings.from(config("/s", 1024, "reject", 0), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultTtlSeconds");
    }

    @Test
    void givenMqttSettings_whenOutOfRangeOrClashing_thenRefusedNamingTheProperty() {
        assertThat(MqttSettings.from(config("/s", 1024, "reject", 7200)))
                .isEqualTo(MqttSettings.of("127.0.0.1", 8883, 0));
        assertThatThrownBy(() -> MqttSettings.of("127.0.0.1", 70000, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mqttTlsPort");
        assertThatThrownBy(() -> MqttSettings.of("127.0.0.1", 8883, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mqttPlainPort");
        assertThatThrownBy(() -> MqttSettings.of("127.0.0.1", 1883, 1883))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ");
        assertThatThrownBy(() -> MqttSettings.of(" ", 8883, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mqttHost");
        assertThatThrownBy(() -> new MqttSettings("127.0.0.1", 8883, 0, 100, java.time.Duration.ofSeconds(10),
                java.time.Duration.ofSeconds(60), 1000, "", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mqttMaxPacketBytes");
        assertThatThrownBy(() -> new MqttSettings("127.0.0.1", 8883, 0, 262144, java.time.Duration.ZERO,
                java.time.Duration.ofSeconds(60), 1000, "", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mqttConnectTimeoutSecs");
    }

    // A stand-in for the DS configuration that only the settings mapping reads: nothing compares or hashes it, so
    // the Annotation contract for equals and hashCode does not apply.
    @SuppressWarnings("BadAnnotationImplementation")
    private static HubConfig config(String dataDir, long maxSize, String policy, long ttl) {
        return new HubConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HubConfig.class;
            }

            @Override
            public String dataDir() {
                return dataDir;
            }

            @Override
            public long maxSizeBytes() {
                return maxSize;
            }

            @Override
            public String fullPolicy() {
                return policy;
            }

            @Override
            public long defaultTtlSeconds() {
                return ttl;
            }

            @Override
            public String deviceId() {
                return "";
            }

            @Override
            public String mqttHost() {
                return "127.0.0.1";
            }

            @Override
            public int mqttTlsPort() {
                return 8883;
            }

            @Override
            public int mqttPlainPort() {
                return 0;
            }

            @Override
            public int mqttMaxPacketBytes() {
                return 262144;
            }

            @Override
            public long mqttConnectTimeoutSecs() {
                return 10;
            }

            @Override
            public long mqttDeliveryTimeoutSecs() {
                return 60;
            }

            @Override
            public int mqttMaxConnections() {
                return 1000;
            }

            @Override
            public String mqttHubHostName() {
                return "";
            }

            @Override
            public String mqttClientCaFile() {
                return "";
            }

            @Override
            public int mqttMaxConnectionsPerAddress() {
                return 64;
            }

            @Override
            public long mqttMaxTokenLifetimeSecs() {
                return 31_536_000;
            }
        };
    }
}
