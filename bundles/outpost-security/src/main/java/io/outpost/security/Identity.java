package io.outpost.security;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who connects to the hub: a module of this device or a leaf device, how it authenticates, and its
 * generation (a new one each time a module's identity is recreated, as IoT Hub's generationId).
 * {@link #toString()} never shows the key nor the generation.
 *
 * @param deviceId the device id
 * @param moduleId the module id, for a module identity
 * @param auth how it authenticates
 * @param primaryKey the base64 symmetric key, for {@link AuthType#SAS}
 * @param thumbprint the SHA-1 or SHA-256 certificate thumbprint (upper-case hex; see
 *        {@link LeafCertificates#thumbprintMatches}), for {@link AuthType#X509_THUMBPRINT}
 * @param generationId changes when the identity is recreated
 * @param createdAt when it was created
 */
public record Identity(String deviceId, Optional<String> moduleId, AuthType auth, Optional<String> primaryKey,
        Optional<String> thumbprint, String generationId, Instant createdAt) {

    /** How an identity proves itself. */
    public enum AuthType { SAS, X509_THUMBPRINT, X509_CA }

    public Identity {
        IdentityIds.check(deviceId, "deviceId");
        moduleId.ifPresent(m -> IdentityIds.check(m, "moduleId"));
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(primaryKey, "primaryKey");
        Objects.requireNonNull(thumbprint, "thumbprint");
        Objects.requireNonNull(generationId, "generationId");
        Objects.requireNonNull(createdAt, "createdAt");
        if ((auth == AuthType.SAS) != primaryKey.isPresent()) {
            throw new IllegalArgumentException("a key is needed exactly for SAS identities");
        }
        if ((auth == AuthType.X509_THUMBPRINT) != thumbprint.isPresent()) {
            throw new IllegalArgumentException("a thumbprint is needed exactly for X509_THUMBPRINT identities");
        }
    }

    /** {@code <device>} or {@code <device>/<module>}: the MQTT client id and the identity's name. */
    public String name() {
        return moduleId.map(m -> deviceId + "/" + m).orElse(deviceId);
    }

    /** The resource its SAS tokens are for: {@code <hub>/devices/<device>[/modules/<module>]}. */
    public String resource(String hubHostName) {
        return hubHostName + "/devices/" + deviceId + moduleId.map(m -> "/modules/" + m).orElse("");
    }

    @Override
    public String toString() {
        return "Identity[" + name() + ", " + auth + "]";
    }
}
