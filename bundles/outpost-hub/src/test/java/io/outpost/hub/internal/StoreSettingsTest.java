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

    private static MessageStoreComponent.Config config(String dataDir, long maxSize, String policy, long ttl) {
        return new MessageStoreComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MessageStoreComponent.Config.class;
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
        };
    }
}
