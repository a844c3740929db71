package io.outpost.pki;

import io.outpost.common.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files that hold secrets (private keys, symmetric keys): readable by the owner only, replaced atomically
 * and durably; a folder it creates is accessible to the owner only.
 */
public final class SecretFiles {

    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private SecretFiles() {
    }

    /** Writes a secret: owner-only, replaced atomically and durably (synced before and after the move). */
    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, OWNER_DIR);
        }
        DurableFiles.replace(target, content, DurableFiles.OWNER_ONLY);
    }
}
