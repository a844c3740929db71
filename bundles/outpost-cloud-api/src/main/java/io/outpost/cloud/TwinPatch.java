package io.outpost.cloud;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A change of one twin section as a JSON merge patch (RFC 7396, as IoT Hub applies twin patches: objects
 * merge, {@code null} removes a property, anything else replaces), or as a whole replacement of the section.
 *
 * @param section which section
 * @param json JSON object text
 * @param replace {@code true}: {@code json} becomes the section; {@code false}: it is merged in
 * @param ifVersion when present, the change is refused unless the twin's {@link Twin#version()} equals it
 */
public record TwinPatch(TwinSection section, String json, boolean replace, OptionalLong ifVersion) {

    public TwinPatch {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(ifVersion, "ifVersion");
    }

    public static TwinPatch merge(TwinSection section, String json) {
        return new TwinPatch(section, json, false, OptionalLong.empty());
    }

    public static TwinPatch replace(TwinSection section, String json) {
        return new TwinPatch(section, json, true, OptionalLong.empty());
    }

    /** The same change, refused unless the twin is still at {@code version}. */
    public TwinPatch ifVersion(long version) {
        return new TwinPatch(section, json, replace, OptionalLong.of(version));
    }
}
