package io.outpost.container;

import java.util.Objects;

/**
 * Credentials for an image registry, as in a manifest's {@code registryCredentials} entry. The password
 * never appears in {@link #toString()}.
 */
public record RegistryCredentials(String address, String username, String password) {

    public RegistryCredentials {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (address.isBlank()) {
            throw new IllegalArgumentException("address must not be blank");
        }
    }

    @Override
    public String toString() {
        return "RegistryCredentials[address=" + address + ", username=" + username + ", password=****]";
    }
}
