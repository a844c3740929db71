package io.outpost.manifest.internal;

import io.outpost.manifest.ManifestErrorCode;
import java.util.List;
import java.util.Optional;

/** The {@code schemaVersion} of {@code $edgeAgent} and {@code $edgeHub}. */
final class SchemaVersions {

    static final List<String> AGENT = List.of("1.0", "1.1");
    static final List<String> HUB = List.of("1.0", "1.1", "1.2");

    private SchemaVersions() {
    }

    /** The version when it is one of {@code supported}; otherwise an error, 412 when it is a well-formed text. */
    static Optional<String> read(Section desired, List<String> supported, String owner) {
        String allowed = String.join(", ", supported);
        Optional<String> version = desired.string("schemaVersion", true, "a schema version (one of " + allowed + ")");
        if (version.isPresent() && !supported.contains(version.get())) {
            desired.problems().error(ManifestErrorCode.UNSUPPORTED_SCHEMA, desired.pointer("schemaVersion"),
                    Json.quote(version.get()) + " is not a supported " + owner + " schema version; expected one of "
                            + allowed);
            return Optional.empty();
        }
        return version;
    }
}
