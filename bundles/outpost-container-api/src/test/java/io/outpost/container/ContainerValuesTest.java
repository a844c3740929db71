package io.outpost.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerValuesTest {

    @Test
    void givenEngineWords_whenMapped_thenStatesAndHealthMatch() {
        assertThat(ContainerState.fromEngine("running")).isEqualTo(ContainerState.RUNNING);
        assertThat(ContainerState.fromEngine("exited")).isEqualTo(ContainerState.EXITED);
        assertThat(ContainerState.fromEngine("frozen")).isEqualTo(ContainerState.UNKNOWN);
        assertThat(ContainerState.fromEngine(null)).isEqualTo(ContainerState.UNKNOWN);
        assertThat(HealthStatus.fromEngine("unhealthy")).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(HealthStatus.fromEngine(null)).isEqualTo(HealthStatus.NONE);
    }

    @Test
    void givenDieEvent_whenExitCodeAsked_thenParsedFromAttributes() {
        ContainerEvent die = new ContainerEvent("abc", "die", Instant.EPOCH,
                Map.of("exitCode", "3", "name", "sensor", ContainerLabels.MODULE, "sensor"));

        assertThat(die.exitCode()).hasValue(3);
        assertThat(die.containerName()).isEqualTo("sensor");
        assertThat(die.module()).isEqualTo("sensor");
    }

    @Test
    void givenEngineUnavailable_whenAskedIfRetryable_thenYesButNotForBadOptions() {
        assertThat(ContainerErrorCode.ENGINE_UNAVAILABLE.retryableByDefault()).isTrue();
        assertThat(ContainerErrorCode.INVALID_CREATE_OPTIONS.retryableByDefault()).isFalse();
        assertThat(ContainerErrorCode.IMAGE_NOT_FOUND.retryableByDefault()).isFalse();
    }
}
