package io.outpost.iothub.auth;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What differs between the sides that authenticate IoT Hub clients; the rules themselves are
 * {@link AuthenticatorCore}'s. Build one with {@link #edge} or {@link #cloud}, where each side's values are written.
 *
 * @param hubName                the hub's host name: the host of every token resource; empty: the user name's hub
 * @param pinHub                 whether a user name must name {@code hubName} (case-insensitive)
 * @param maxTokenLifetime       how far ahead of now a SAS token may expire
 * @param deviceSpeaksForModules whether a device's credentials also open its modules (IoT Hub's rule)
 * @param parentSpeaksForChildren whether an enabled parent's credentials also open its child devices
 * @param unknownModulesWithDeviceCredentials whether a module that is not registered opens with its device's
 *                               credentials (the host registers it afterwards)
 * @param trustedCas             the CAs that may issue {@link Credential.CaIssued} certificates, read per connection
 */
public record AuthPolicy(Optional<String> hubName, boolean pinHub, Duration maxTokenLifetime,
        boolean deviceSpeaksForModules, boolean parentSpeaksForChildren,
        boolean unknownModulesWithDeviceCredentials, Supplier<Collection<X509Certificate>> trustedCas) {

    public AuthPolicy {
        hubName = Objects.requireNonNull(hubName, "hubName").map(String::trim).filter(h -> !h.isEmpty());
        if (pinHub && hubName.isEmpty()) {
            throw new IllegalArgumentException("hubName must be set when the hub is pinned");
        }
        if (maxTokenLifetime == null || maxTokenLifetime.isNegative() || maxTokenLifetime.isZero()) {
            throw new IllegalArgumentException("maxTokenLifetime must be positive: " + maxTokenLifetime);
        }
        Objects.requireNonNull(trustedCas, "trustedCas");
    }

    /**
     * The edge's hub: user names must name the hub when its name is set ({@code mqttHubHostName}), tokens live at
     * most {@code mqttMaxTokenLifetimeSecs}, every identity has its own credentials (no delegation), CA-issued
     * certificates chain to the edge's CAs.
     */
    public static AuthPolicy edge(Optional<String> hubName, Duration maxTokenLifetime,
            Supplier<Collection<X509Certificate>> trustedCas) {
        Optional<String> hub = hubName.map(String::trim).filter(h -> !h.isEmpty());
        return new AuthPolicy(hub, hub.isPresent(), maxTokenLifetime, false, false, false, trustedCas);
    }

    /**
     * The cloud's device endpoint: its host name ({@code hubHostName}) fixes token resources but user names are not
     * pinned to it, tokens live at most {@code maxTokenLifetimeSecs}, a device speaks for its modules (also modules
     * not registered yet) and an enabled parent for its children, as IoT Hub has it; no CA-issued certificates.
     */
    public static AuthPolicy cloud(Optional<String> hubName, Duration maxTokenLifetime) {
        return new AuthPolicy(hubName, false, maxTokenLifetime, true, true, true, List::of);
    }
}
