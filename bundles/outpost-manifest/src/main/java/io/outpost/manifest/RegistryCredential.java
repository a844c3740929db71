package io.outpost.manifest;

import java.util.Objects;

/**
 * Credentials for one private image registry ({@code runtime.settings.registryCredentials.<name>}).
 * {@link #toString()} never shows the password.
 */
public record RegistryCredential(String address, String username, String password) {

    public RegistryCredential {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "RegistryCredential[address=" + address + ", username=" + username + ", password=***]";
    }
}
