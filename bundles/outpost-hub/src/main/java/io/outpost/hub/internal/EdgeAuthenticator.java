package io.outpost.hub.internal;

import io.outpost.common.Clock;
import io.outpost.common.LogBudget;
import io.outpost.common.OutpostException;
import io.outpost.common.RateLimitedLog;
import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectRequest;
import io.outpost.pki.CertificateChecks;
import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import io.outpost.security.LeafCertificates;
import io.outpost.security.SasToken;
import java.security.cert.X509Certificate;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates clients of the hub's listener in the IoT Hub dialect: client id {@code <device>} or
 * {@code <device>/<module>}, user name {@code <hub>/<device>[/<module>]/?api-version=...} naming the same
 * identity (and, when the hub's name is pinned, that hub), then either a password that is a SAS token for that
 * identity's resource signed with its key and not expired, or, without a password, a TLS client certificate:
 * of the identity's SHA-1 or SHA-256 thumbprint ({@code X509_THUMBPRINT}) or issued, with the device id as its common name,
 * by a trusted CA ({@code X509_CA}). A SAS token may expire at most {@code maxTokenLifetime} ahead. Refusals are
 * logged at WARN, never the token: at most once a minute per client and reason, and, since client ids are the
 * caller's choice, at most {@value #LINES_PER_ADDRESS} lines a minute per remote address and
 * {@value #LINES_IN_ALL} in all; how many were left out is logged once a minute.
 */
final class EdgeAuthenticator {

    /** Refusal lines logged per remote address and minute, whatever client ids it tries. */
    static final int LINES_PER_ADDRESS = 10;
    /** Refusal lines logged per minute from all addresses together. */
    static final int LINES_IN_ALL = 100;
    private static final Logger LOG = LoggerFactory.getLogger(EdgeAuthenticator.class);

    private final IdentityService identities;
    private final Clock clock;
    private final Optional<String> hubName;
    private final Supplier<Collection<X509Certificate>> trustedCas;
    private final Duration maxTokenLifetime;
    private final RateLimitedLog refusals = new RateLimitedLog(60, TimeUnit.SECONDS);
    private final LogBudget budget = new LogBudget(60, TimeUnit.SECONDS, LINES_PER_ADDRESS, LINES_IN_ALL);
    private final AtomicLong refusalLines = new AtomicLong();

    /** As the full constructor, with {@link MqttSettings#DEFAULT_MAX_TOKEN_LIFETIME}. */
    EdgeAuthenticator(IdentityService identities, Clock clock, Optional<String> hubName,
            Supplier<Collection<X509Certificate>> trustedCas) {
        this(identities, clock, hubName, trustedCas, MqttSettings.DEFAULT_MAX_TOKEN_LIFETIME);
    }

    /**
     * @param hubName          the only hub name accepted in user names and token resources; empty: any
     * @param trustedCas       the CAs that may issue certificates of {@code X509_CA} identities
     * @param maxTokenLifetime how far ahead of now a SAS token may expire ({@code mqttMaxTokenLifetimeSecs})
     */
    EdgeAuthenticator(IdentityService identities, Clock clock, Optional<String> hubName,
            Supplier<Collection<X509Certificate>> trustedCas, Duration maxTokenLifetime) {
        this.identities = identities;
        this.clock = clock;
        this.hubName = hubName.map(String::trim).filter(h -> !h.isEmpty());
        this.trustedCas = trustedCas;
        if (maxTokenLifetime == null || maxTokenLifetime.isNegative() || maxTokenLifetime.isZero()) {
            throw new IllegalArgumentException("mqttMaxTokenLifetimeSecs must be positive: " + maxTokenLifetime);
        }
        this.maxTokenLifetime = maxTokenLifetime;
    }

    /** Refusal lines logged so far (not counting those left out by the limits). */
    long refusalLines() {
        return refusalLines.get();
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

    Optional<Authenticated> authenticate(ConnectRequest request) {
        String clientId = request.clientId();
        String remote = request.remoteAddress();
        Optional<UserName> user = UserName.parse(request.username().orElse(null));
        if (user.isEmpty()) {
            return refuse(clientId, remote, "user-name-malformed",
                    "the user name is not <hub>/<device>[/<module>]/?api-version=...");
        }
        if (hubName.isPresent() && !hubName.get().equalsIgnoreCase(user.get().hub())) {
            return refuse(clientId, remote, "hub-name-mismatch",
                    "the user name names hub '" + user.get().hub() + "', this hub is '" + hubName.get() + "'");
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
        Identity id = identity.get();
        ClientIdentity who = new ClientIdentity(id.deviceId(), id.moduleId());
        Instant now = clock.now();
        if (request.password().isPresent()) {
            if (id.auth() != Identity.AuthType.SAS || id.primaryKey().isEmpty()) {
                return refuse(clientId, remote, "auth-type", "the identity does not authenticate with SAS tokens");
            }
            SasToken token;
            try {
                token = SasToken.parse(request.password().get());
                token.verify(id.resource(hubName.orElse(user.get().hub())), id.primaryKey().get(), now);
            } catch (OutpostException e) {
                // a malformed token's message may quote part of it: only its code is logged
                String code = e.errorCode().code();
                return refuse(clientId, remote, code, "token-malformed".equals(code) ? "" : e.getMessage());
            } catch (DateTimeException e) {
                return refuse(clientId, remote, "token-malformed", "se is beyond the representable time");
            }
            if (token.expiry().isAfter(now.plus(maxTokenLifetime))) {
                return refuse(clientId, remote, "token-lifetime", "the token expires at " + token.expiry()
                        + ", more than mqttMaxTokenLifetimeSecs=" + maxTokenLifetime.toSeconds() + " ahead");
            }
            LOG.info("iothub-client-authenticated client={} remote={} auth=sas", clientId, remote);
            return Optional.of(new Authenticated(who, Optional.of(token.expiry())));
        }
        List<X509Certificate> chain = request.peerCertificates();
        if (chain.isEmpty()) {
            return refuse(clientId, remote, "no-credential", "neither a SAS token nor a client certificate");
        }
        X509Certificate leaf = chain.get(0);
        if (!CertificateChecks.validAt(leaf, now)) {
            return refuse(clientId, remote, "certificate-expired", "the client certificate is not valid now");
        }
        switch (id.auth()) {
            case X509_THUMBPRINT -> {
                if (!LeafCertificates.thumbprintMatches(leaf, id.thumbprint().orElse(""))) {
                    return refuse(clientId, remote, "certificate-thumbprint",
                            "neither the certificate's SHA-1 nor its SHA-256 thumbprint is the identity's");
                }
            }
            case X509_CA -> {
                if (!CertificateChecks.commonName(leaf).equals(id.deviceId())) {
                    return refuse(clientId, remote, "certificate-subject",
                            "the certificate's common name is not the device id");
                }
                if (!CertificateChecks.chainsTo(chain, trustedCas.get(), now)) {
                    return refuse(clientId, remote, "certificate-untrusted",
                            "the certificate does not chain to a trusted CA");
                }
                Optional<String> usage = LeafCertificates.clientAuthRefusal(leaf);
                if (usage.isPresent()) {
                    return refuse(clientId, remote, "certificate-usage", usage.get());
                }
            }
            default -> {
                return refuse(clientId, remote, "auth-type", "the identity authenticates with SAS tokens, not certificates");
            }
        }
        LOG.info("iothub-client-authenticated client={} remote={} auth={}", clientId, remote,
                id.auth().name().toLowerCase(Locale.ROOT));
        return Optional.of(new Authenticated(who, Optional.of(leaf.getNotAfter().toInstant())));
    }

    private Optional<Authenticated> refuse(String clientId, String remote, String code, String why) {
        String client = abbreviate(clientId);
        long now = System.nanoTime();
        refusals.log(client + " " + code, now, suppressed -> {
            if (budget.admit(LogBudget.hostOf(remote), now, leftOut -> LOG.warn(
                    "iothub-connect-refusals-not-logged count={} periodSecs=60", leftOut))) {
                refusalLines.incrementAndGet();
                LOG.warn("iothub-connect-refused client=\"{}\" remote={} reason={} detail=\"{}\" "
                        + "suppressedSinceLast={}", client, remote, code, why, suppressed);
            }
        });
        return Optional.empty();
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
