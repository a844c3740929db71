package io.outpost.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.common.ManualClock;
import io.outpost.common.OutpostException;
import io.outpost.security.Identity;
import io.outpost.security.SasToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIdentityStoreTest {

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.atEpochOf2026();

    private FileIdentityStore store() {
        return new FileIdentityStore(dir.resolve("security/identities.properties"), clock);
    }

    @Test
    void givenModule_whenIdentityAskedTwice_thenSameRandomKeyIsReturned() {
        FileIdentityStore store = store();

        Identity first = store.moduleIdentity("dev1", "filter");
        Identity again = store.moduleIdentity("dev1", "filter");

        assertThat(again).isEqualTo(first);
        assertThat(Base64.getDecoder().decode(first.primaryKey().orElseThrow())).hasSize(32);
        assertThat(store.moduleIdentity("dev1", "sensor").primaryKey()).isNotEqualTo(first.primaryKey());
    }

    @Test
    void givenRotation_whenModuleRecreated_thenNewKeyAndGenerationAndOldTokenFails() {
        FileIdentityStore store = store();
        Identity old = store.moduleIdentity("dev1", "filter");
        String token = SasToken.create(old.resource("hub"), old.primaryKey().orElseThrow(),
                clock.now().plus(Duration.ofHours(1)));

        Identity rotated = store.rotateModuleIdentity("dev1", "filter");

        assertThat(rotated.generationId()).isNotEqualTo(old.generationId());
        assertThatThrownBy(() -> SasToken.parse(token).verify(rotated.resource("hub"),
                rotated.primaryKey().orElseThrow(), clock.now())).isInstanceOf(OutpostException.class);
    }

    @Test
    void givenStoredIdentities_whenReopened_thenTheyAreKeptAndTheFileIsOwnerOnly() throws Exception {
        Identity module = store().moduleIdentity("dev1", "filter");
        store().addDevice("leaf-1");
        store().addDeviceWithThumbprint("leaf-2", "ab".repeat(32));
        store().addDeviceWithCa("leaf-3");

        FileIdentityStore reopened = store();

        assertThat(reopened.find("dev1", Optional.of("filter"))).contains(module);
        assertThat(reopened.list()).extracting(Identity::name).containsExactly("dev1/filter", "leaf-1", "leaf-2",
                "leaf-3");
        assertThat(reopened.find("leaf-3", Optional.empty()).orElseThrow().auth()).isEqualTo(Identity.AuthType.X509_CA);
        assertThat(reopened.find("leaf-2", Optional.empty()).orElseThrow().thumbprint()).contains("AB".repeat(32));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("security/identities.properties")))).isEqualTo("rw-------");
    }

    @Test
    void givenExistingDevice_whenAddedAgain_thenRefusedAndOriginalKept() {
        FileIdentityStore store = store();
        Identity first = store.addDevice("leaf-1");

        assertThatThrownBy(() -> store.addDevice("leaf-1")).isInstanceOf(OutpostException.class)
                .hasMessageContaining("leaf-1");
        assertThatThrownBy(() -> store.addDeviceWithCa("leaf-1")).isInstanceOf(OutpostException.class)
                .hasMessageContaining("leaf-1");
        assertThat(store.find("leaf-1", Optional.empty())).contains(first);
    }

    @Test
    void givenBadIds_whenAdded_thenErrorNamesTheField() {
        FileIdentityStore store = store();

        assertThatThrownBy(() -> store.addDevice("has space")).hasMessageContaining("deviceId 'has space'");
        assertThatThrownBy(() -> store.addDeviceWithThumbprint("leaf-3", "xyz")).hasMessageContaining("thumbprint");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void givenIdentity_whenPrinted_thenKeyIsNotShown() {
        Identity id = store().moduleIdentity("dev1", "filter");

        assertThat(id.toString()).doesNotContain(id.primaryKey().orElseThrow()).doesNotContain(id.generationId())
                .contains("dev1/filter");
    }

    @Test
    void givenRotation_whenLogged_thenNeitherTheGenerationNorTheKeyIsInTheLog() {
        FileIdentityStore store = store();
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = System.err;
        Identity rotated;
        System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            rotated = store.rotateModuleIdentity("dev1", "filter");
        } finally {
            System.setErr(err);
        }

        String text = log.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("identity-rotated identity=dev1/filter").doesNotContain(rotated.generationId())
                .doesNotContain(rotated.primaryKey().orElseThrow()).doesNotContain("generation");
    }

    @Test
    void givenWriteFails_whenAnIdentityIsAdded_thenTheFileKeepsItsOldContent() throws Exception {
        FileIdentityStore store = store();
        Identity module = store.moduleIdentity("dev1", "filter");
        byte[] before = Files.readAllBytes(dir.resolve("security/identities.properties"));
        // a folder where the temporary file goes makes the write fail before anything is replaced
        Files.createDirectories(dir.resolve("security/identities.properties.tmp/blocker"));

        assertThatThrownBy(() -> store.addDevice("leaf-1")).isInstanceOf(OutpostException.class)
                .hasMessageContaining("identities.properties");

        assertThat(Files.readAllBytes(dir.resolve("security/identities.properties"))).isEqualTo(before);
        assertThat(store().find("dev1", Optional.of("filter"))).contains(module);
    }
}
