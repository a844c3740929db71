package io.outpost.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.common.OutpostException;
import io.outpost.deployment.DesiredState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesiredStateStoreTest {

    private static final byte[] WITH_PASSWORD =
            "{\"registryCredentials\":{\"r\":{\"password\":\"s3cret\"}}}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void givenManifestWithRegistryPassword_whenSaved_thenEveryFileIsOwnerOnly() throws Exception {
        Path agent = dir.resolve("agent");
        DesiredStateStore store = new DesiredStateStore(agent);

        store.save(DesiredStateStore.DESIRED, new DesiredState("v1", WITH_PASSWORD, "file"));
        store.save(DesiredStateStore.LAST_GOOD, new DesiredState("v1", WITH_PASSWORD, "file"));

        for (String name : new String[] {"desired.json", "desired.header", "last-good.json", "last-good.header"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agent.resolve(name))))
                    .as(name).isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agent))).isEqualTo("rwx------");
        try (var files = Files.list(agent)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void givenFilesOfAnEarlierVersionReadableByAll_whenLoaded_thenNarrowedToOwnerOnly() throws Exception {
        Path agent = dir.resolve("agent");
        Files.createDirectories(agent);
        Files.write(agent.resolve("desired.json"), WITH_PASSWORD);
        Files.writeString(agent.resolve("desired.header"), "version=v1\nsource=file\n");
        Files.setPosixFilePermissions(agent.resolve("desired.json"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(new DesiredStateStore(agent).load(DesiredStateStore.DESIRED)).isPresent();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agent.resolve("desired.json"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agent))).isEqualTo("rwx------");
    }

    @Test
    void givenWriteFails_whenSaving_thenTheOldStateIsIntact() throws Exception {
        Path agent = dir.resolve("agent");
        DesiredStateStore store = new DesiredStateStore(agent);
        store.save(DesiredStateStore.DESIRED, new DesiredState("v1", WITH_PASSWORD, "file"));
        // a folder where the temporary file goes makes the write fail before anything is replaced
        Files.createDirectories(agent.resolve("desired.json.tmp").resolve("blocker"));

        assertThatThrownBy(() -> store.save(DesiredStateStore.DESIRED,
                new DesiredState("v2", "{}".getBytes(StandardCharsets.UTF_8), "file")))
                .isInstanceOf(OutpostException.class).hasMessageContaining("desired");

        DesiredState loaded = store.load(DesiredStateStore.DESIRED).orElseThrow();
        assertThat(loaded.version()).isEqualTo("v1");
        assertThat(loaded.manifest()).isEqualTo(WITH_PASSWORD);
    }
}
