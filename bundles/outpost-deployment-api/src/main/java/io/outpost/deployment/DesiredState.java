package io.outpost.deployment;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A desired state handed to the agent: the deployment manifest (Azure IoT Edge JSON, as bytes), its version
 * and where it came from ({@code file}, {@code shell}, {@code cloud}, {@code rollback}, ...).
 */
public record DesiredState(String version, byte[] manifest, String source) {

    public DesiredState {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(source, "source");
        if (version.isBlank()) {
            throw new IllegalArgumentException("version must not be blank");
        }
        manifest = manifest.clone();
    }

    /** A desired state versioned by its content: the first 12 hex digits of the manifest's SHA-256. */
    public static DesiredState ofContent(byte[] manifest, String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(manifest);
            return new DesiredState(HexFormat.of().formatHex(digest, 0, 6), manifest, source);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    @Override
    public byte[] manifest() {
        return manifest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DesiredState d && version.equals(d.version) && source.equals(d.source)
                && java.util.Arrays.equals(manifest, d.manifest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, source, java.util.Arrays.hashCode(manifest));
    }

    @Override
    public String toString() {
        return "DesiredState[version=" + version + ", source=" + source + ", bytes=" + manifest.length + "]";
    }
}
