package io.outpost.hub.internal;

import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import io.outpost.security.SasToken;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates MQTT clients in the IoT Hub dialect: client id {@code <device>} or {@code <device>/<module>},
 * user name {@code <hub>/<device>[/<module>]/?api-version=...} naming the same identity, password a SAS token
 * for that identity's resource ({@code <hub>/devices/<device>[/modules/<module>]}, the hub being the user name's)
 * signed with its key and not expired. Every refusal is logged once at WARN with its reason, never the token.
 */
final class SasAuthenticator implements ClientAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(SasAuthenticator.class);

    private final IdentityService identities;
    private final Clock clock;

    SasAuthenticator(IdentityService identities, Clock clock) {
        this.identities = identities;
        this.clock = clock;
    }

    /** The parts of a user name: hub host name, device id, module id. */
    record UserName(String hub, String deviceId, Optional<String> moduleId) {

        static Optional<UserName> parse(String username) {
            if (username == null) {
                return Optional.empty();
            }
            int query = username.indexOf("/?");
            String path = query < 0 ? username : username.substring(0, query);
            String[] parts = path.split("/", -1);
            if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
                return Optional.of(new UserName(parts[0], parts[1], Optional.empty()));
            }
            if (parts.length == 3 && !parts[0].isEmpty() && !parts[1].isEmpty() && !parts[2].isEmpty()) {
                return Optional.of(new UserName(parts[0], parts[1], Optional.of(parts[2])));
            }
            return Optional.empty();
        }

        String clientId() {
            return moduleId.map(m -> deviceId + "/" + m).orElse(deviceId);
        }
    }

    @Override
    public Optional<ClientIdentity> authenticate(String clientId, String username, String password, String remote) {
        Optional<UserName> user = UserName.parse(username);
        if (user.isEmpty()) {
            return refuse(clientId, remote, "user-name-malformed",
                    "the user name is not <hub>/<device>[/<module>]/?api-version=...");
        }
        if (!user.get().clientId().equals(clientId)) {
            return refuse(clientId, remote, "client-id-mismatch",
                    "the client id is not the identity the user name names (" + user.get().clientId() + ")");
        }
        Optional<Identity> identity;
        try {
            identity = identities.find(user.get().deviceId(), user.get().moduleId());
        } catch (IllegalArgumentException e) {
            return refuse(clientId, remote, "identity-unknown", e.getMessage());
        }
        if (identity.isEmpty()) {
            return refuse(clientId, remote, "identity-unknown", "no such device or module identity");
        }
        if (identity.get().auth() != Identity.AuthType.SAS || identity.get().primaryKey().isEmpty()) {
            return refuse(clientId, remote, "auth-type", "the identity does not authenticate with SAS tokens");
        }
        try {
            SasToken.parse(password).verify(identity.get().resource(user.get().hub()), identity.get().primaryKey().get(),
                    clock.now());
        } catch (OutpostException e) {
            // a malformed token's message may quote part of it: only its code is logged
            String code = e.errorCode().code();
            return refuse(clientId, remote, code, "token-malformed".equals(code) ? "" : e.getMessage());
        }
        LOG.info("mqtt-client-authenticated client={} remote={}", clientId, remote);
        return Optional.of(new ClientIdentity(identity.get().deviceId(), identity.get().moduleId()));
    }

    private static Optional<ClientIdentity> refuse(String clientId, String remote, String code, String why) {
        LOG.warn("mqtt-connect-refused client=\"{}\" remote={} reason={} detail=\"{}\"", abbreviate(clientId), remote,
                code, why);
        return Optional.empty();
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
