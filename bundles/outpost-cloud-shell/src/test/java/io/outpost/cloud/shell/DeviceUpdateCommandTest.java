package io.outpost.cloud.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.store.testing.CloudStoreFixture;
import io.outpost.common.OutpostException;
import io.outpost.common.SystemClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cloud:device-update --parent / --no-parent} against the real store on H2. */
class DeviceUpdateCommandTest {

    private static final DeviceAuth KEYS = new DeviceAuth.SymmetricKeys("cHJpbWFyeS1rZXktMTIzNDU2",
            "c2Vjb25kYXJ5LWtleS0xMjM0");

    @TempDir
    Path dir;

    CloudStoreFixture store;

    @BeforeEach
    void open() {
        store = CloudStoreFixture.openH2(dir.resolve("db/registry"), 2, 1000, SystemClock.INSTANCE);
        store.registry().create("edge-a", KEYS, "{}");
        store.registry().create("edge-b", KEYS, "{}");
        store.registry().create("leaf-1", KEYS, "{}", Optional.of("edge-a"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void givenLeafUnderEdgeA_whenParentSetToBThenRemoved_thenStoredAndPrintedKeepingItsKeys() {
        String moved = run(command("leaf-1", c -> c.parent = "edge-b"));

        assertThat(moved).contains("\"parentId\" : \"edge-b\"")
                .contains("\"primaryKey\" : \"cHJpbWFyeS1rZXktMTIzNDU2\"");
        assertThat(store.registry().get("leaf-1").orElseThrow().parentId()).contains("edge-b");
        assertThat(store.registry().get("leaf-1").orElseThrow().auth()).isEqualTo(KEYS);

        String alone = run(command("leaf-1", c -> c.noParent = true));

        assertThat(alone).contains("\"parentId\" : null");
        assertThat(store.registry().get("leaf-1").orElseThrow().parentId()).isEmpty();
    }

    @Test
    void givenBadParentOptions_whenRun_thenRefusedNamingTheOptionAndNothingChanged() {
        assertThatThrownBy(() -> run(command("leaf-1", c -> {
            c.parent = "edge-b";
            c.noParent = true;
        }))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--no-parent");
        assertThatThrownBy(() -> run(command("leaf-1", c -> c.parent = "a b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--parent:");
        assertThatThrownBy(() -> run(command("leaf-1", c -> c.parent = "nowhere")))
                .isInstanceOfSatisfying(OutpostException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(CloudErrorCode.NOT_FOUND);
                    assertThat(e.getMessage()).startsWith("--parent:");
                });
        assertThatThrownBy(() -> run(command("edge-a", c -> c.parent = "edge-b")))
                .isInstanceOfSatisfying(OutpostException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(CloudErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).startsWith("--parent:").contains("has children");
                });
        assertThatThrownBy(() -> run(command("edge-b", c -> {
            c.parent = "leaf-1";
            c.disable = true;
        }))).isInstanceOfSatisfying(OutpostException.class,
                e -> assertThat(e.getMessage()).contains("'leaf-1' is itself a child of 'edge-a'"));

        assertThat(store.registry().get("leaf-1").orElseThrow().parentId()).contains("edge-a");
        assertThat(store.registry().get("edge-a").orElseThrow().parentId()).isEmpty();
        assertThat(store.registry().get("edge-b").orElseThrow().parentId()).isEmpty();
        assertThat(store.registry().get("edge-b").orElseThrow().enabled()).isTrue();
    }

    private DeviceUpdateCommand command(String deviceId, java.util.function.Consumer<DeviceUpdateCommand> options) {
        DeviceUpdateCommand c = new DeviceUpdateCommand();
        c.registry = store.registry();
        c.deviceId = deviceId;
        options.accept(c);
        return c;
    }

    /** Runs the command and returns what it printed. */
    private static String run(DeviceUpdateCommand command) {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            command.execute();
        } finally {
            System.setOut(out);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }
}
