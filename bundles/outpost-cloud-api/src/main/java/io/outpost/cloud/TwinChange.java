package io.outpost.cloud;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a twin's change history: which section changed, to which twin version, and the patch applied
 * (for a replacement, the new section).
 */
public record TwinChange(TwinId id, long version, TwinSection section, String patch, boolean replace, Instant at) {

    public TwinChange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(patch, "patch");
        Objects.requireNonNull(at, "at");
    }
}
