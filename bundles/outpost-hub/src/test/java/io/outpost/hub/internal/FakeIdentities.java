package io.outpost.hub.internal;

import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Identities in memory with random keys, for the listener tests (the real store is tested in outpost-security). */
final class FakeIdentities implements IdentityService {

    private final Map<String, Identity> byName = new ConcurrentHashMap<>();

    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Override
    public Identity moduleIdentity(String deviceId, String moduleId) {
        return byName.computeIfAbsent(deviceId + "/" + moduleId, n -> new Identity(deviceId, Optional.of(moduleId),
                Identity.AuthType.SAS, Optional.of(randomKey()), Optional.empty(), "g1", Instant.now()));
    }

    @Override
    public Identity rotateModuleIdentity(String deviceId, String moduleId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Identity addDevice(String deviceId) {
        return byName.computeIfAbsent(deviceId, n -> new Identity(deviceId, Optional.empty(),
                Identity.AuthType.SAS, Optional.of(randomKey()), Optional.empty(), "g1", Instant.now()));
    }

    @Override
    public Identity addDeviceWithThumbprint(String deviceId, String thumbprint) {
        return byName.computeIfAbsent(deviceId, n -> new Identity(deviceId, Optional.empty(),
                Identity.AuthType.X509_THUMBPRINT, Optional.empty(), Optional.of(thumbprint), "g1", Instant.now()));
    }

    /** A leaf device whose certificates a trusted CA issues. */
    Identity addCaDevice(String deviceId) {
        return byName.computeIfAbsent(deviceId, n -> new Identity(deviceId, Optional.empty(),
                Identity.AuthType.X509_CA, Optional.empty(), Optional.empty(), "g1", Instant.now()));
    }

    @Override
    public Optional<Identity> find(String deviceId, Optional<String> moduleId) {
        return Optional.ofNullable(byName.get(moduleId.map(m -> deviceId + "/" + m).orElse(deviceId)));
    }

    @Override
    public boolean remove(String deviceId, Optional<String> moduleId) {
        return byName.remove(moduleId.map(m -> deviceId + "/" + m).orElse(deviceId)) != null;
    }

    @Override
    public List<Identity> list() {
        return List.copyOf(byName.values());
    }
}
