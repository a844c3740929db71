package io.outpost.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ModelTest {

    private static ModuleSpec spec(String image, String createOptions, Map<String, String> env, DesiredStatus status) {
        return new ModuleSpec("sensor", "1.0", "docker", status, RestartPolicy.ALWAYS, ImagePullPolicy.ON_CREATE, 10,
                image, "", createOptions, new TreeMap<>(env), "{}");
    }

    private static final ModuleSpec BASE = spec("sensor:1.0", "{}", Map.of("A", "1"), DesiredStatus.RUNNING);

    @Test
    void givenEqualSpecs_whenHashed_thenSameStableHash() {
        ModuleSpec same = spec("sensor:1.0", "{}", Map.of("A", "1"), DesiredStatus.RUNNING);

        assertThat(BASE.configHash()).isEqualTo(same.configHash()).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void givenImageCreateOptionsOrEnvChanged_whenHashed_thenHashDiffers() {
        assertThat(spec("sensor:1.1", "{}", Map.of("A", "1"), DesiredStatus.RUNNING).configHash())
                .isNotEqualTo(BASE.configHash());
        assertThat(spec("sensor:1.0", "{\"User\":\"1\"}", Map.of("A", "1"), DesiredStatus.RUNNING).configHash())
                .isNotEqualTo(BASE.configHash());
        assertThat(spec("sensor:1.0", "{}", Map.of("A", "2"), DesiredStatus.RUNNING).configHash())
                .isNotEqualTo(BASE.configHash());
        assertThat(spec("sensor:1.0", "{}", Map.of("A", "1", "B", ""), DesiredStatus.RUNNING).configHash())
                .isNotEqualTo(BASE.configHash());
    }

    @Test
    void givenOnlyStatusOrTwinChanged_whenHashed_thenHashSame() {
        ModuleSpec stopped = spec("sensor:1.0", "{}", Map.of("A", "1"), DesiredStatus.STOPPED);
        ModuleSpec otherTwin = new ModuleSpec("sensor", "2.0", "docker", DesiredStatus.RUNNING, RestartPolicy.NEVER,
                ImagePullPolicy.NEVER, 1, "sensor:1.0", "", "{}", new TreeMap<>(Map.of("A", "1")), "{\"x\":1}");

        assertThat(stopped.configHash()).isEqualTo(BASE.configHash());
        assertThat(otherTwin.configHash()).isEqualTo(BASE.configHash());
    }

    @Test
    void givenFieldBoundariesShifted_whenHashed_thenHashDiffers() {
        ModuleSpec a = spec("ab", "c", Map.of(), DesiredStatus.RUNNING);
        ModuleSpec b = spec("a", "bc", Map.of(), DesiredStatus.RUNNING);

        assertThat(a.configHash()).isNotEqualTo(b.configHash());
    }

    @Test
    void givenOutOfRangeValues_whenConstructed_thenRejected() {
        assertThatThrownBy(() -> new ModuleSpec("s", "", "docker", DesiredStatus.RUNNING, RestartPolicy.ALWAYS,
                ImagePullPolicy.ON_CREATE, -1, "i", "", "", new TreeMap<>(), "{}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startupOrder");
        assertThatThrownBy(() -> new RouteSpec("r", "FROM /messages/* INTO $upstream", 11, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Problem(Problem.Severity.ERROR, "no-slash", "m"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenRegistryCredential_whenPrinted_thenPasswordHidden() {
        assertThat(new RegistryCredential("r.example", "edge", "s3cret").toString()).doesNotContain("s3cret")
                .contains("r.example", "edge");
    }

    @Test
    void givenErrorsAndAManifest_whenResultBuilt_thenRejected() {
        Problem error = new Problem(Problem.Severity.ERROR, "", "broken");

        assertThatThrownBy(() -> new ValidationResult(Optional.empty(), List.of(error), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenErrorCodes_whenRead_thenMatchAzureStatusCodes() {
        assertThat(ManifestErrorCode.INVALID.code()).isEqualTo("manifest-invalid");
        assertThat(ManifestErrorCode.INVALID.azureStatus()).isEqualTo(400);
        assertThat(ManifestErrorCode.UNSUPPORTED_SCHEMA.azureStatus()).isEqualTo(412);
        assertThat(ManifestErrorCode.EMPTY.code()).isEqualTo("manifest-empty");
        assertThat(ManifestErrorCode.EMPTY.azureStatus()).isEqualTo(417);
        assertThat(ManifestErrorCode.TOO_LARGE.azureStatus()).isEqualTo(400);
    }
}
