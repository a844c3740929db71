package io.outpost.iothub.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectRequest;
import io.outpost.iothub.auth.Accepted;
import io.outpost.iothub.auth.AuthenticatorCore;
import io.outpost.iothub.auth.Decision;
import io.outpost.iothub.auth.Refusal;
import io.outpost.iothub.auth.Refusals;
import io.outpost.pki.CertificateAuthority;
import io.outpost.pki.SasToken;
import io.outpost.pki.Thumbprints;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The IoT Hub authentication rules every side keeps, whatever its policy: run by the edge's and the cloud's tests
 * over their real identity stores, and by outpost-iothub's over a map. A subclass registers identities in its store
 * and builds the side's {@link AuthenticatorCore} over it; refusal codes are asserted, so wording drift shows.
 * Policy-dependent rules (delegation, the hub pin, token lifetimes, CA-issued certificates) are each side's own tests.
 */
public abstract class AuthenticatorContract {

    /** A base64 symmetric key that no identity of the contract is registered with. */
    protected static final String UNREGISTERED_KEY = key("contract-unregistered");

    /** When the contract's certificates were made; tokens and checks are relative to it. */
    protected final Instant start = ManualClock.atEpochOf2026().now();
    private final CertificateAuthority authority = new CertificateAuthority(ManualClock.atEpochOf2026());
    protected final X509Certificate certificate = authority.selfSignedClient("cam-1", Duration.ofDays(30)).certificate();
    protected final X509Certificate other = authority.selfSignedClient("cam-2", Duration.ofDays(30)).certificate();

    /**
     * Registers a device or module that authenticates with a symmetric key (a module's device is registered
     * already) and returns its key: the store's own, or {@link #keyFor} where the store takes one.
     */
    protected abstract String registerSas(ClientIdentity identity);

    /** Registers a device that authenticates with a client certificate of the thumbprint. */
    protected abstract void registerThumbprint(String deviceId, String hex);

    /** The side's authenticator over its store. */
    protected abstract AuthenticatorCore core();

    /** The hub name the side's clients put in their user names and tokens. */
    protected abstract String hub();

    @Test
    void givenSasDevice_whenTokenSignedWithItsKey_thenAcceptedUntilTheTokenExpires() {
        String key = registerSas(ClientIdentity.device("dev-a"));
        Instant se = start.plusSeconds(3600);

        Decision decision = core().authenticate(withToken("dev-a", token("devices/dev-a", key, se)), start);

        assertThat(decision).isInstanceOfSatisfying(Accepted.class, a -> {
            assertThat(a.authenticated().identity()).isEqualTo(ClientIdentity.device("dev-a"));
            assertThat(a.authenticated().expiresAt()).contains(se);
            assertThat(a.method()).isEqualTo("sas");
        });
    }

    @Test
    void givenSasModule_whenTokenSignedWithItsOwnKey_thenAcceptedAsTheModule() {
        registerSas(ClientIdentity.device("dev-a"));
        String key = registerSas(ClientIdentity.module("dev-a", "filter"));

        Decision decision = core().authenticate(withToken("dev-a/filter",
                token("devices/dev-a/modules/filter", key, start.plusSeconds(60))), start);

        assertThat(decision).isInstanceOfSatisfying(Accepted.class, a -> assertThat(
                a.authenticated().identity()).isEqualTo(ClientIdentity.module("dev-a", "filter")));
    }

    @Test
    void givenSasDevice_whenTokenSignedWithAnotherKey_thenRefusedTokenSignatureInvalid() {
        registerSas(ClientIdentity.device("dev-a"));

        assertRefused(withToken("dev-a", token("devices/dev-a", UNREGISTERED_KEY, start.plusSeconds(60))), start,
                Refusals.TOKEN_SIGNATURE);
    }

    @Test
    void givenSasDevice_whenTokenIsForAnotherIdentity_thenRefusedTokenResourceMismatch() {
        String key = registerSas(ClientIdentity.device("dev-a"));
        registerSas(ClientIdentity.device("dev-b"));

        assertRefused(withToken("dev-a", token("devices/dev-b", key, start.plusSeconds(60))), start,
                Refusals.TOKEN_RESOURCE);
    }

    @Test
    void givenToken_whenCheckedAtExactlyItsExpiry_thenRefusedTokenExpiredAndASecondBeforeAccepted() {
        String key = registerSas(ClientIdentity.device("dev-a"));
        Instant se = start.plusSeconds(60);
        ConnectRequest request = withToken("dev-a", token("devices/dev-a", key, se));

        assertThat(core().authenticate(request, se.minusSeconds(1))).isInstanceOf(Accepted.class);
        assertRefused(request, se, Refusals.TOKEN_EXPIRED);
    }

    @Test
    void givenTokensThatCannotBeRead_whenAuthenticated_thenRefusedTokenMalformedWithoutQuotingThem() {
        registerSas(ClientIdentity.device("dev-a"));
        String sr = hub() + "%2Fdevices%2Fdev-a";
        for (String token : List.of("SharedAccessSignature sr=" + sr + "&sig=abc&se=99999999999999999",
                "SharedAccessSignature sr=" + sr + "&sig=%zz&se=1", "SharedAccessSignature sr=%2&sig=abc&se=1",
                "not a token")) {
            Decision decision = core().authenticate(withToken("dev-a", token), start);

            assertThat(decision).as(token).isInstanceOfSatisfying(Refusal.class, r -> {
                assertThat(r.code()).isEqualTo(Refusals.TOKEN_MALFORMED);
                assertThat(r.detail()).doesNotContain("abc", "%zz");
            });
        }
    }

    @Test
    void givenUserNames_whenTheyDoNotNameTheClientIdOrAreMisshapen_thenRefusedWithTheirCodes() {
        String key = registerSas(ClientIdentity.device("dev-a"));
        registerSas(ClientIdentity.device("dev-b"));
        String token = token("devices/dev-a", key, start.plusSeconds(60));

        assertRefused(request("dev-a", hub() + "/dev-b/?api-version=2021-04-12", token, List.of()), start,
                Refusals.CLIENT_ID_MISMATCH);
        assertRefused(request("dev-a", "dev-a", token, List.of()), start, Refusals.USER_NAME_MALFORMED);
        assertRefused(request("dev-a", hub() + "//dev-a/?api-version=2021-04-12", token, List.of()), start,
                Refusals.USER_NAME_MALFORMED);
        assertRefused(request("dev-a", hub() + "/dev-a/x/y/?api-version=2021-04-12", token, List.of()), start,
                Refusals.USER_NAME_MALFORMED);
        assertRefused(request("dev-a", null, token, List.of()), start, Refusals.USER_NAME_MALFORMED);
    }

    @Test
    void givenNoSuchDevice_whenItConnects_thenRefusedIdentityUnknown() {
        assertRefused(withToken("ghost", token("devices/ghost", UNREGISTERED_KEY, start.plusSeconds(60))), start,
                Refusals.IDENTITY_UNKNOWN);
    }

    @Test
    void givenCertificate_whenCheckedAtItsBounds_thenValidFromNotBeforeToNotAfterBothIncluded() {
        registerThumbprint("cam-1", Thumbprints.sha256(certificate));
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        ConnectRequest request = withCertificate("cam-1", certificate);

        assertThat(core().authenticate(request, notBefore)).isInstanceOf(Accepted.class);
        assertThat(core().authenticate(request, notAfter)).isInstanceOfSatisfying(Accepted.class, a -> {
            assertThat(a.authenticated().expiresAt()).contains(notAfter);
            assertThat(a.method()).isEqualTo("x509_thumbprint");
        });
        assertRefused(request, notBefore.minusSeconds(1), Refusals.CERTIFICATE_EXPIRED);
        assertRefused(request, notAfter.plusSeconds(1), Refusals.CERTIFICATE_EXPIRED);
    }

    @Test
    void givenThumbprintsSha1OrSha256InEitherCase_whenTheCertificateIsPresented_thenAccepted() {
        registerThumbprint("cam-1", Thumbprints.sha1(certificate).toLowerCase(Locale.ROOT));
        registerThumbprint("cam-2", Thumbprints.sha256(other).toLowerCase(Locale.ROOT));
        registerThumbprint("cam-3", Thumbprints.sha1(other).toUpperCase(Locale.ROOT));
        registerThumbprint("cam-4", Thumbprints.sha256(certificate).toUpperCase(Locale.ROOT));

        assertThat(core().authenticate(withCertificate("cam-1", certificate), start)).isInstanceOf(Accepted.class);
        assertThat(core().authenticate(withCertificate("cam-2", other), start)).isInstanceOf(Accepted.class);
        assertThat(core().authenticate(withCertificate("cam-3", other), start)).isInstanceOf(Accepted.class);
        assertThat(core().authenticate(withCertificate("cam-4", certificate), start)).isInstanceOf(Accepted.class);
    }

    @Test
    void givenThumbprintDevice_whenAnotherCertificateIsPresented_thenRefusedCertificateThumbprint() {
        registerThumbprint("cam-1", Thumbprints.sha256(certificate));

        assertRefused(withCertificate("cam-1", other), start, Refusals.CERTIFICATE_THUMBPRINT);
    }

    @Test
    void givenPasswordAndCertificate_whenBothArePresented_thenTheTokenAloneDecides() {
        String key = registerSas(ClientIdentity.device("dev-a"));
        registerThumbprint("cam-1", Thumbprints.sha256(certificate));
        String good = token("devices/dev-a", key, start.plusSeconds(60));
        String bad = token("devices/cam-1", UNREGISTERED_KEY, start.plusSeconds(60));

        assertThat(core().authenticate(request("dev-a", userName("dev-a"), good, List.of(other)), start))
                .isInstanceOf(Accepted.class);
        assertRefused(request("cam-1", userName("cam-1"), bad, List.of(certificate)), start, Refusals.AUTH_TYPE);
    }

    @Test
    void givenNeitherPasswordNorCertificate_whenConnecting_thenRefusedNoCredential() {
        registerSas(ClientIdentity.device("dev-a"));

        assertRefused(request("dev-a", userName("dev-a"), null, List.of()), start, Refusals.NO_CREDENTIAL);
    }

    @Test
    void givenCredentialOfTheOtherKind_whenPresented_thenRefusedAuthType() {
        String key = registerSas(ClientIdentity.device("dev-a"));
        registerThumbprint("cam-1", Thumbprints.sha256(certificate));

        assertRefused(withCertificate("dev-a", certificate), start, Refusals.AUTH_TYPE);
        assertRefused(withToken("cam-1", token("devices/cam-1", key, start.plusSeconds(60))), start,
                Refusals.AUTH_TYPE);
    }

    /** Asserts that the request is refused at {@code now} with the code. */
    protected void assertRefused(ConnectRequest request, Instant now, String code) {
        assertThat(core().authenticate(request, now)).as(request.toString())
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.code()).as(r.detail()).isEqualTo(code));
    }

    /** A SAS token for {@code <hub>/<path>} signed with the key. */
    protected String token(String path, String base64Key, Instant expiry) {
        return SasToken.create(hub() + "/" + path, base64Key, expiry);
    }

    protected String userName(String clientId) {
        return hub() + "/" + clientId + "/?api-version=2021-04-12";
    }

    protected ConnectRequest withToken(String clientId, String token) {
        return request(clientId, userName(clientId), token, List.of());
    }

    protected ConnectRequest withCertificate(String clientId, X509Certificate... chain) {
        return request(clientId, userName(clientId), null, List.of(chain));
    }

    protected static ConnectRequest request(String clientId, String userName, String password,
            List<X509Certificate> chain) {
        return new ConnectRequest(clientId, Optional.ofNullable(userName), Optional.ofNullable(password), chain,
                "127.0.0.1:5000", true, 4);
    }

    /** A base64 symmetric key of the identity, for stores that take the key rather than make one. */
    protected static String keyFor(ClientIdentity identity) {
        return key("contract-" + identity.name());
    }

    private static String key(String seed) {
        return Base64.getEncoder().encodeToString((seed + "-0123456789abcdef").getBytes(StandardCharsets.UTF_8));
    }
}
