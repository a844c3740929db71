package io.outpost.cloud.endpoint.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.store.testing.CloudStoreFixture;
import io.outpost.common.ManualClock;
import io.outpost.common.SystemClock;
import io.outpost.iothub.ConnectRequest;
import io.outpost.iothub.auth.Refusals;
import io.outpost.pki.CertificateAuthority;
import io.outpost.pki.Thumbprints;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint's authentication rules on their own (no listener), against the real registry (H2): the PKI
 * library's validity rule and thumbprints, and malformed tokens refused rather than thrown, by their stable codes.
 */
class AuthenticatorTest {

    private static final String HUB = DeviceClients.HUB;

    @TempDir
    Path dir;

    CloudStoreFixture store;
    Authenticator authenticator;
    X509Certificate certificate;
    X509Certificate bySha1;

    @BeforeEach
    void start() {
        store = CloudStoreFixture.openH2(dir.resolve("registry"), 4, 100, SystemClock.INSTANCE);
        CertificateAuthority authority = new CertificateAuthority(ManualClock.atEpochOf2026());
        certificate = authority.selfSignedClient("cam-1", Duration.ofDays(30)).certificate();
        bySha1 = authority.selfSignedClient("cam-2", Duration.ofDays(30)).certificate();
        store.registry().create("cam-1", new DeviceAuth.X509Thumbprints(Thumbprints.sha256(certificate), ""), "{}");
        store.registry().create("cam-2", new DeviceAuth.X509Thumbprints("",
                Thumbprints.sha1(bySha1).toLowerCase(Locale.ROOT)), "{}");
        store.registry().create("dev-a", new DeviceAuth.SymmetricKeys(CloudEndpointTest.KEY_A, ""), "{}");
        authenticator = new Authenticator(store.registry(), HUB);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void givenCertificate_whenAuthenticatedAtItsBounds_thenValidFromNotBeforeToNotAfterInclusive() throws Exception {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();

        assertThat(authenticator.authenticate(withCertificate("cam-1"), notAfter).expiresAt()).contains(notAfter);
        assertThat(authenticator.authenticate(withCertificate("cam-1"), notBefore).identity().deviceId())
                .isEqualTo("cam-1");
        assertThatThrownBy(() -> authenticator.authenticate(withCertificate("cam-1"), notAfter.plusSeconds(1)))
                .isInstanceOfSatisfying(Authenticator.Refused.class,
                        r -> assertThat(r.code()).isEqualTo(Refusals.CERTIFICATE_EXPIRED));
        assertThatThrownBy(() -> authenticator.authenticate(withCertificate("cam-1"), notBefore.minusSeconds(1)))
                .isInstanceOfSatisfying(Authenticator.Refused.class,
                        r -> assertThat(r.code()).isEqualTo(Refusals.CERTIFICATE_EXPIRED));
    }

    @Test
    void givenDeviceRegisteredBySecondarySha1Thumbprint_whenItsCertificateIsPresented_thenAccepted() throws Exception {
        Instant now = certificate.getNotBefore().toInstant().plusSeconds(60);

        ConnectRequest request = new ConnectRequest("cam-2", Optional.of(HUB + "/cam-2/?api-version=2021-04-12"),
                Optional.empty(), List.of(bySha1), "127.0.0.1:5000", true, 4);

        assertThat(authenticator.authenticate(request, now).identity().deviceId()).isEqualTo("cam-2");
        assertThatThrownBy(() -> authenticator.authenticate(withCertificate("cam-2"), now))
                .isInstanceOf(Authenticator.Refused.class);
    }

    @Test
    void givenTokensThatCannotBeRead_whenAuthenticated_thenRefusedAsMalformedNotThrown() {
        for (String token : List.of("SharedAccessSignature sr=" + HUB + "%2Fdevices%2Fdev-a&sig=abc&se=99999999999999999",
                "SharedAccessSignature sr=" + HUB + "%2Fdevices%2Fdev-a&sig=%zz&se=1",
                "SharedAccessSignature sr=" + HUB + "%2&sig=abc&se=1")) {
            ConnectRequest request = new ConnectRequest("dev-a", Optional.of(HUB + "/dev-a/?api-version=2021-04-12"),
                    Optional.of(token), List.of(), "127.0.0.1:5000", true, 4);

            assertThatThrownBy(() -> authenticator.authenticate(request, Instant.now())).as(token)
                    .isInstanceOfSatisfying(Authenticator.Refused.class,
                            r -> assertThat(r.code()).isEqualTo(Refusals.TOKEN_MALFORMED));
        }
    }

    private ConnectRequest withCertificate(String device) {
        return new ConnectRequest(device, Optional.of(HUB + "/" + device + "/?api-version=2021-04-12"),
                Optional.empty(), List.of(certificate), "127.0.0.1:5000", true, 4);
    }
}
