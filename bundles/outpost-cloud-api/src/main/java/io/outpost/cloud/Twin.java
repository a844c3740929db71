package io.outpost.cloud;

import java.time.Instant;
import java.util.Objects;

/**
 * A device or module twin. The three sections are JSON object text; the desired and reported sections carry
 * their own versions ({@code $version} inside IoT Hub's twin JSON), and {@link #version()} counts every
 * change of any section: it is the twin's ETag.
 *
 * @param id whose twin
 * @param tags operator-owned metadata (device twins only; empty object for module twins)
 * @param desired desired properties, written by the cloud
 * @param reported reported properties, written by the device or module
 * @param desiredVersion incremented on every change of {@code desired}
 * @param reportedVersion incremented on every change of {@code reported}
 * @param version incremented on every change of the twin
 * @param updatedAt when it last changed
 */
public record Twin(TwinId id, String tags, String desired, String reported, long desiredVersion,
        long reportedVersion, long version, Instant updatedAt) {

    public Twin {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(desired, "desired");
        Objects.requireNonNull(reported, "reported");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The ETag form of {@link #version()}, as IoT Hub's service API writes it: {@code "<version>"} quoted. */
    public String etag() {
        return "\"" + version + "\"";
    }
}
