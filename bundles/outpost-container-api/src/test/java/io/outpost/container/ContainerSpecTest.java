package io.outpost.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerSpecTest {

    private static final ContainerOwner OWNER = new ContainerOwner("dev-1", "sensor", "7");

    private static ContainerSpec spec() {
        return new ContainerSpec("sensor", "outpost/sensor:1", "{\"Cmd\":[\"run\"]}", Map.of("A", "1", "B", "2"),
                Map.of("team", "ops"), OWNER);
    }

    @Test
    void givenSameContent_whenHashed_thenHashesAreEqualAndIndependentOfDeploymentVersion() {
        ContainerSpec other = new ContainerSpec("sensor", "outpost/sensor:1", "{\"Cmd\":[\"run\"]}",
                Map.of("B", "2", "A", "1"), Map.of("team", "ops"), new ContainerOwner("dev-1", "sensor", "8"));

        assertThat(spec().configHash()).hasSize(64).isEqualTo(other.configHash());
    }

    @Test
    void givenChangedEnvImageOrOptions_whenHashed_thenHashDiffers() {
        String hash = spec().configHash();

        assertThat(spec().withEnv(Map.of("A", "1", "B", "3")).configHash()).isNotEqualTo(hash);
        assertThat(new ContainerSpec("sensor", "outpost/sensor:2", "{\"Cmd\":[\"run\"]}", spec().env(),
                spec().labels(), OWNER).configHash()).isNotEqualTo(hash);
        assertThat(new ContainerSpec("sensor", "outpost/sensor:1", "{}", spec().env(), spec().labels(), OWNER)
                .configHash()).isNotEqualTo(hash);
    }

    @Test
    void givenRuntimeEnvironmentAndBinds_whenHashed_thenHashUnchanged() {
        String hash = spec().configHash();
        Map<String, String> env = new java.util.HashMap<>(spec().env());
        env.put("IOTEDGE_MODULEGENERATIONID", "g2");

        ContainerSpec provisioned = spec().withEnv(env).withBinds(java.util.List.of("/data/w/sensor:/var/run/iotedge"));

        assertThat(provisioned.configHash()).isEqualTo(hash);
        assertThat(provisioned.binds()).containsExactly("/data/w/sensor:/var/run/iotedge");
        assertThatThrownBy(() -> spec().withBinds(java.util.List.of("no-colon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-colon");
    }

    @Test
    void givenBadContainerName_whenCreated_thenRejectedWithTheName() {
        assertThatThrownBy(() -> ContainerSpec.of("-bad name", "img", "", OWNER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-bad name");
    }

    @Test
    void givenReservedLabel_whenCreated_thenRejected() {
        assertThatThrownBy(() -> spec().withLabels(Map.of(ContainerLabels.MODULE, "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }

    @Test
    void givenEnvWithSecret_whenPrinted_thenOnlyNamesShow() {
        ContainerSpec withSecret = spec().withEnv(Map.of("PASSWORD", "s3cret"));

        assertThat(withSecret.toString()).contains("PASSWORD").doesNotContain("s3cret");
    }

    @Test
    void givenCredentials_whenPrinted_thenPasswordHidden() {
        assertThat(new RegistryCredentials("127.0.0.1:5000", "u", "pw-123").toString()).doesNotContain("pw-123");
    }
}
