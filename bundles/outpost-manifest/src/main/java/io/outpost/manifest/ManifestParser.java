package io.outpost.manifest;

import io.outpost.manifest.internal.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Parses and validates Azure IoT Edge deployment manifests ({@code modulesContent}, optionally wrapped in
 * {@code content}). Every problem is collected, not only the first; the manifest is returned only when
 * there is no error. Routes are compiled with the route language itself ({@code io.outpost.routing}), so a
 * valid manifest holds only routes the hub can run. Thread-safe: one parser may serve many callers.
 */
public final class ManifestParser {

    private final ManifestLimits limits;
    private final ManifestReader reader;

    public ManifestParser() {
        this(ManifestLimits.defaults());
    }

    public ManifestParser(ManifestLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.reader = new ManifestReader(limits);
    }

    public ManifestLimits limits() {
        return limits;
    }

    /** Validates a manifest given as UTF-8 bytes (a UTF-16 or UTF-32 encoding with a BOM is detected too). */
    public ValidationResult parse(byte[] json) {
        return reader.read(Objects.requireNonNull(json, "json"));
    }

    public ValidationResult parse(String json) {
        Objects.requireNonNull(json, "json");
        if (json.length() > limits.maxBytes()) {
            // Every character takes at least one byte: too large without encoding it.
            return reader.tooLarge();
        }
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads at most one byte more than the size limit from the stream, then validates what was read.
     *
     * @throws IOException when the stream cannot be read
     */
    public ValidationResult parse(InputStream in) throws IOException {
        return reader.read(in.readNBytes(limits.maxBytes() + 1));
    }
}
