package io.outpost.cloud;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The identities of devices and their modules. Registering an identity creates its twin. */
public interface DeviceRegistry {

    /**
     * Registers a device, enabled and disconnected, with an empty twin whose tags are {@code tags}.
     *
     * @param tags JSON object text
     * @throws io.outpost.common.OutpostException {@link CloudErrorCode#ALREADY_EXISTS} or
     *     {@link CloudErrorCode#INVALID_ARGUMENT}
     */
    default Device create(String deviceId, DeviceAuth auth, String tags) {
        return create(deviceId, auth, tags, Optional.empty());
    }

    /**
     * Registers a device as {@link #create(String, DeviceAuth, String)} does, in the scope of {@code parentId}:
     * an edge device whose keys may then also sign tokens for this device (it connects on the child's behalf).
     *
     * @throws io.outpost.common.OutpostException {@link CloudErrorCode#NOT_FOUND} when there is no device
     *     {@code parentId}; {@link CloudErrorCode#INVALID_ARGUMENT} when it is the device itself or has a parent
     *     itself (one level, as IoT Hub's edge scope)
     */
    Device create(String deviceId, DeviceAuth auth, String tags, Optional<String> parentId);

    Optional<Device> get(String deviceId);

    /** Every device, by id. */
    List<Device> list();

    /** Enables or disables a device; a disabled device may not connect. */
    Device setEnabled(String deviceId, boolean enabled);

    /** Replaces a device's credentials. */
    Device setAuth(String deviceId, DeviceAuth auth);

    /**
     * Moves a device into the scope of {@code parentId}, or out of any scope when it is empty; its credentials, twin
     * and history are kept. The parent rules are those of {@link #create(String, DeviceAuth, String, Optional)}, and
     * a device that has children may not become a child (one level).
     *
     * @throws io.outpost.common.OutpostException {@link CloudErrorCode#NOT_FOUND} when there is no device
     *     {@code deviceId} or no device {@code parentId}; {@link CloudErrorCode#INVALID_ARGUMENT} when the parent is
     *     the device itself or has a parent itself, or when the device has children
     */
    Device setParent(String deviceId, Optional<String> parentId);

    /** Records that a device connected or disconnected at {@code at}; also its last activity. */
    void setConnectionState(String deviceId, ConnectionState state, Instant at);

    /** Records activity of a device (a message, a twin change) at {@code at}. */
    void touch(String deviceId, Instant at);

    /** Removes a device, its modules, twins, history and telemetry; false when there was none. */
    boolean delete(String deviceId);

    /** Registers a module identity of a device, with an empty module twin. */
    ModuleIdentity createModule(String deviceId, String moduleId, DeviceAuth auth);

    Optional<ModuleIdentity> getModule(String deviceId, String moduleId);

    List<ModuleIdentity> modules(String deviceId);

    boolean deleteModule(String deviceId, String moduleId);
}
