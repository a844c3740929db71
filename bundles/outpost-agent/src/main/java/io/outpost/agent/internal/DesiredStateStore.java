package io.outpost.agent.internal;

import io.outpost.common.DurableFiles;
import io.outpost.common.OutpostException;
import io.outpost.deployment.DeploymentErrorCode;
import io.outpost.deployment.DesiredState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The desired state and the last good one, on disk, so that a device cold-boots into its deployment with no
 * cloud. Each is a manifest file plus a small header file ({@code version} and {@code source}). A manifest may
 * hold registry passwords, so every file is readable by the owner only (600, in a folder of mode 700) and
 * replaced atomically and durably ({@link DurableFiles}): a power loss leaves the old file or the new one.
 */
final class DesiredStateStore {

    static final String DESIRED = "desired";
    static final String LAST_GOOD = "last-good";

    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path dir;

    DesiredStateStore(Path dir) {
        this.dir = dir;
    }

    void save(String slot, DesiredState state) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, OWNER_DIR);
            write(dir.resolve(slot + ".json"), state.manifest());
            write(dir.resolve(slot + ".header"),
                    ("version=" + state.version() + "\nsource=" + state.source() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new OutpostException(DeploymentErrorCode.STORAGE_FAILED,
                    "cannot store the " + slot + " deployment in " + dir + ": " + e.getMessage(), e);
        }
    }

    Optional<DesiredState> load(String slot) {
        Path manifest = dir.resolve(slot + ".json");
        Path header = dir.resolve(slot + ".header");
        if (!Files.isRegularFile(manifest) || !Files.isRegularFile(header)) {
            return Optional.empty();
        }
        try {
            // files written by earlier versions were readable by all: narrow them before use
            Files.setPosixFilePermissions(dir, OWNER_DIR);
            Files.setPosixFilePermissions(manifest, DurableFiles.OWNER_ONLY);
            Files.setPosixFilePermissions(header, DurableFiles.OWNER_ONLY);
            String version = "";
            String source = "disk";
            for (String line : Files.readAllLines(header, StandardCharsets.UTF_8)) {
                if (line.startsWith("version=")) {
                    version = line.substring("version=".length());
                } else if (line.startsWith("source=")) {
                    source = line.substring("source=".length());
                }
            }
            return version.isBlank() ? Optional.empty()
                    : Optional.of(new DesiredState(version, Files.readAllBytes(manifest), source));
        } catch (IOException e) {
            throw new OutpostException(DeploymentErrorCode.STORAGE_FAILED,
                    "cannot read the " + slot + " deployment from " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        DurableFiles.replace(target, bytes, DurableFiles.OWNER_ONLY);
    }
}
