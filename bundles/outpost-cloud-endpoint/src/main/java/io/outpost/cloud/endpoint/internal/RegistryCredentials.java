package io.outpost.cloud.endpoint.internal;

import io.outpost.cloud.Device;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.auth.Credential;
import io.outpost.iothub.auth.CredentialSource;
import io.outpost.iothub.auth.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The device registry as the authenticator's credential source: a device's or module's primary and secondary
 * symmetric keys or thumbprints (empty ones left out), whether its device is enabled, and a device's parent.
 * Reads the store: called on the endpoint's db threads.
 */
final class RegistryCredentials implements CredentialSource {

    private final DeviceRegistry registry;

    RegistryCredentials(DeviceRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Optional<Principal> find(ClientIdentity identity) {
        Optional<Device> device = registry.get(identity.deviceId());
        if (device.isEmpty()) {
            return Optional.empty();
        }
        if (identity.moduleId().isEmpty()) {
            Device d = device.get();
            return Optional.of(new Principal(identity, d.enabled(), credentials(d.auth()), d.parentId()));
        }
        return registry.getModule(identity.deviceId(), identity.moduleId().get()).map(m -> new Principal(identity,
                device.get().enabled(), credentials(m.auth()), Optional.empty()));
    }

    static List<Credential> credentials(DeviceAuth auth) {
        List<Credential> credentials = new ArrayList<>();
        for (String value : List.of(auth.primary(), auth.secondary())) {
            if (value.isBlank()) {
                continue;
            }
            credentials.add(auth instanceof DeviceAuth.SymmetricKeys ? new Credential.SymmetricKey(value)
                    : new Credential.Thumbprint(value));
        }
        return credentials;
    }
}
