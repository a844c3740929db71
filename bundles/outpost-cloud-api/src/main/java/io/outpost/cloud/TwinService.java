package io.outpost.cloud;

import java.util.List;
import java.util.Optional;

/**
 * Device and module twins. A twin exists from the moment its device or module identity is registered and is
 * removed with it. Every change increments the twin's version and is kept in its change history for the
 * configured time.
 */
public interface TwinService {

    Optional<Twin> get(TwinId id);

    /** The twins of every module of a device, by module id. */
    List<Twin> moduleTwins(String deviceId);

    /** Every device twin (module twins excluded), by device id. */
    List<Twin> deviceTwins();

    /**
     * Applies a patch and returns the changed twin. A patch that changes nothing still counts as a change
     * (IoT Hub increments versions on every accepted patch).
     *
     * @throws io.outpost.common.OutpostException {@link CloudErrorCode#NOT_FOUND} when there is no such twin,
     *     {@link CloudErrorCode#VERSION_MISMATCH} when {@link TwinPatch#ifVersion()} is not the twin's version,
     *     {@link CloudErrorCode#INVALID_ARGUMENT} when the JSON is not an object or a module twin is given tags,
     *     {@link CloudErrorCode#TWIN_TOO_LARGE} when the desired or reported properties would exceed 32 KiB or
     *     10 levels of nesting (the twin is then unchanged)
     */
    Twin update(TwinId id, TwinPatch patch);

    /** The changes still kept, oldest first. */
    List<TwinChange> history(TwinId id);
}
