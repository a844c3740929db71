package io.outpost.manifest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.manifest.RegistryCredential;
import io.outpost.manifest.RuntimeSettings;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@code $edgeAgent}'s {@code runtime}: type docker and its settings, with registry credentials. */
final class RuntimeReader {

    private enum Type {
        DOCKER("docker");

        final String wire;

        Type(String wire) {
            this.wire = wire;
        }
    }

    private RuntimeReader() {
    }

    static Optional<RuntimeSettings> read(Section runtime) {
        Optional<Type> type = runtime.choice("type", true, Type.values(), t -> t.wire, "runtime type");
        Optional<JsonNode> rawSettings = runtime.get("settings");
        Optional<RuntimeSettings> settings = rawSettings.isEmpty()
                ? Optional.of(new RuntimeSettings("docker", Map.of()))
                : Section.of(rawSettings.get(), runtime.pointer("settings"), runtime.problems())
                        .flatMap(RuntimeReader::settings);
        runtime.warnUnknown();
        return type.isPresent() ? settings : Optional.empty();
    }

    private static Optional<RuntimeSettings> settings(Section settings) {
        String minDocker = settings.string("minDockerVersion", false, "a Docker version text").orElse("");
        String logging = settings.string("loggingOptions", false, "a logging options text").orElse("");
        Optional<Map<String, RegistryCredential>> creds = settings.object("registryCredentials", false)
                .map(RuntimeReader::credentials)
                .orElse(settings.has("registryCredentials") ? Optional.empty() : Optional.of(Map.of()));
        settings.warnUnknown();
        return creds.map(c -> new RuntimeSettings("docker", minDocker, logging, new TreeMap<>(c)));
    }

    private static Optional<Map<String, RegistryCredential>> credentials(Section all) {
        Map<String, RegistryCredential> result = new TreeMap<>();
        boolean ok = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = all.entries(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            Optional<RegistryCredential> one = Section.of(e.getValue(), all.pointer(e.getKey()), all.problems())
                    .flatMap(RuntimeReader::credential);
            ok &= one.isPresent();
            one.ifPresent(c -> result.put(e.getKey(), c));
        }
        return ok ? Optional.of(result) : Optional.empty();
    }

    private static Optional<RegistryCredential> credential(Section cred) {
        Optional<String> address = cred.string("address", true, "a registry address such as myregistry.azurecr.io");
        Optional<String> username = cred.string("username", true, "a user name");
        Optional<String> password = cred.string("password", true, "a password");
        cred.warnUnknown();
        address.ifPresent(a -> {
            if (a.isBlank()) {
                cred.problems().error(cred.pointer("address"), "the registry address is empty; expected a host name "
                        + "such as myregistry.azurecr.io");
            } else if (a.contains("://")) {
                cred.problems().warning(cred.pointer("address"), Json.quote(a) + " has a URL scheme; Docker expects a "
                        + "registry host name such as myregistry.azurecr.io");
            }
        });
        if (address.isEmpty() || address.get().isBlank() || username.isEmpty() || password.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RegistryCredential(address.get(), username.get(), password.get()));
    }
}
