package io.outpost.security;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The identities the hub knows: this device's modules and the leaf devices behind it. Persistent. */
@ProviderType
public interface IdentityService {

    /** The module's identity, created with a fresh random key the first time. */
    Identity moduleIdentity(String deviceId, String moduleId);

    /** A new key and generation for the module (when its container is recreated); the old key stops working. */
    Identity rotateModuleIdentity(String deviceId, String moduleId);

    /** Registers a leaf device authenticating with a generated SAS key. */
    Identity addDevice(String deviceId);

    /** Registers a leaf device authenticating with a client certificate of this SHA-256 thumbprint (hex). */
    Identity addDeviceWithThumbprint(String deviceId, String thumbprint);

    /**
     * Registers a leaf device authenticating with a client certificate issued by a CA the hub trusts (the edge CA
     * or an operator-supplied one), its common name being the device id.
     */
    default Identity addDeviceWithCa(String deviceId) {
        throw new UnsupportedOperationException("this identity store does not register CA-authenticated devices");
    }

    Optional<Identity> find(String deviceId, Optional<String> moduleId);

    /** Removes an identity; its connections are refused from then on. Returns whether it existed. */
    boolean remove(String deviceId, Optional<String> moduleId);

    List<Identity> list();
}
