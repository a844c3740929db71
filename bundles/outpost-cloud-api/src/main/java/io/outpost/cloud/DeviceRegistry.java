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
    Device create(String deviceId, DeviceAuth auth, String tags);

    Optional<Device> get(String deviceId);

    /** Every device, by id. */
    List<Device> list();

    /** Enables or disables a device; a disabled device may not connect. */
    Device setEnabled(String deviceId, boolean enabled);

    /** Replaces a device's credentials. */
    Device setAuth(String deviceId, DeviceAuth auth);

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
