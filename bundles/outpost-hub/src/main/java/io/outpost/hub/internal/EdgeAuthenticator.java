package io.outpost.hub.internal;

import io.outpost.common.Clock;
import io.outpost.common.LogBudget;
import io.outpost.common.RateLimitedLog;
import io.outpost.iothub.Authenticated;
import io.outpost.iothub.ConnectRequest;
import io.outpost.iothub.auth.Accepted;
import io.outpost.iothub.auth.AuthPolicy;
import io.outpost.iothub.auth.AuthenticatorCore;
import io.outpost.iothub.auth.Decision;
import io.outpost.iothub.auth.Refusal;
import io.outpost.security.IdentityService;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates clients of the hub's listener by IoT Hub's rules as the cloud has them ({@link AuthenticatorCore}
 * over the edge's identities, {@link IdentityCredentials}) with the edge's policy ({@link AuthPolicy#edge}): user
 * names must name the hub when its name is pinned ({@code mqttHubHostName}, or the provisioned hub), a SAS token may
 * expire at most {@code mqttMaxTokenLifetimeSecs} ahead, every identity has its own credentials (a device's key
 * does not open its modules), CA-issued certificates chain to the edge's CAs. Refusals are logged at WARN with
 * their stable code, never the token: at most once a minute per client and reason, and, since client ids are the
 * caller's choice, at most {@value #LINES_PER_ADDRESS} lines a minute per remote address and
 * {@value #LINES_IN_ALL} in all; how many were left out is logged once a minute.
 */
final class EdgeAuthenticator {

    /** Refusal lines logged per remote address and minute, whatever client ids it tries. */
    static final int LINES_PER_ADDRESS = 10;
    /** Refusal lines logged per minute from all addresses together. */
    static final int LINES_IN_ALL = 100;
    private static final Logger LOG = LoggerFactory.getLogger(EdgeAuthenticator.class);

    private final AuthenticatorCore core;
    private final Clock clock;
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
        if (maxTokenLifetime == null || maxTokenLifetime.isNegative() || maxTokenLifetime.isZero()) {
            throw new IllegalArgumentException("mqttMaxTokenLifetimeSecs must be positive: " + maxTokenLifetime);
        }
        this.core = new AuthenticatorCore(AuthPolicy.edge(hubName, maxTokenLifetime, trustedCas),
                new IdentityCredentials(identities));
        this.clock = clock;
    }

    /** The core with the edge's policy, for tests of the rules both sides share. */
    AuthenticatorCore core() {
        return core;
    }

    /** Refusal lines logged so far (not counting those left out by the limits). */
    long refusalLines() {
        return refusalLines.get();
    }

    Optional<Authenticated> authenticate(ConnectRequest request) {
        Decision decision = core.authenticate(request, clock.now());
        if (decision instanceof Refusal r) {
            return refuse(request.clientId(), request.remoteAddress(), r.code(), r.detail());
        }
        Accepted accepted = (Accepted) decision;
        LOG.info("iothub-client-authenticated client={} remote={} auth={}", request.clientId(),
                request.remoteAddress(), accepted.method());
        return Optional.of(accepted.authenticated());
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
