package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.auth.Accepted;
import io.outpost.iothub.auth.AuthenticatorCore;
import io.outpost.iothub.auth.Refusals;
import io.outpost.iothub.testing.AuthenticatorContract;
import io.outpost.pki.CertificateAuthority;
import io.outpost.pki.KeyedCertificate;
import io.outpost.security.Identity;
import io.outpost.security.IdentityService;
import io.outpost.security.testing.WorkloadFixture;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authentication cases the cloud runs too, over the edge's real identity store (a file in a temp dir), and
 * the edge's policy named: the hub pinned ({@code mqttHubHostName}), tokens living at most one hour here
 * ({@code mqttMaxTokenLifetimeSecs}), no delegation (a device's key does not open its modules), CA-issued
 * certificates chaining to the edge's CA.
 */
class EdgeAuthenticatorContractTest extends AuthenticatorContract {

    private static final String HUB = "hub.example.net";

    @TempDir
    Path dir;

    private final CertificateAuthority authority = new CertificateAuthority(ManualClock.atEpochOf2026());
    private final KeyedCertificate ca = authority.createCa("edge-ca", Duration.ofDays(365));
    private IdentityService identities;
    private EdgeAuthenticator authenticator;

    @BeforeEach
    void open() {
        identities = WorkloadFixture.identities(dir.resolve("identities.properties"), ManualClock.atEpochOf2026());
        authenticator = new EdgeAuthenticator(identities, ManualClock.atEpochOf2026(), Optional.of(HUB),
                () -> List.of(ca.certificate()), Duration.ofHours(1));
    }

    @Override
    protected String registerSas(ClientIdentity identity) {
        Identity id = identity.isModule() ? identities.moduleIdentity(identity.deviceId(), identity.moduleId().get())
                : identities.addDevice(identity.deviceId());
        return id.primaryKey().orElseThrow();
    }

    @Override
    protected void registerThumbprint(String deviceId, String hex) {
        identities.addDeviceWithThumbprint(deviceId, hex);
    }

    @Override
    protected AuthenticatorCore core() {
        return authenticator.core();
    }

    @Override
    protected String hub() {
        return HUB;
    }

    @Test
    void givenEdgePolicyPinningTheHub_whenUserNameNamesAnotherHub_thenRefusedHubNameMismatch() {
        String key = registerSas(ClientIdentity.device("dev-a"));
        String token = token("devices/dev-a", key, start.plusSeconds(60));

        assertThat(core().authenticate(request("dev-a", "HUB.EXAMPLE.NET/dev-a", token, List.of()), start))
                .isInstanceOf(Accepted.class);
        assertRefused(request("dev-a", "other.example/dev-a/?api-version=1", token, List.of()), start,
                Refusals.HUB_NAME_MISMATCH);
    }

    @Test
    void givenEdgePolicyOfOneHourTokens_whenTokenExpiresLater_thenRefusedTokenLifetime() {
        String key = registerSas(ClientIdentity.device("dev-a"));

        assertThat(core().authenticate(withToken("dev-a", token("devices/dev-a", key, start.plusSeconds(3600))),
                start)).isInstanceOf(Accepted.class);
        assertRefused(withToken("dev-a", token("devices/dev-a", key, start.plusSeconds(3601))), start,
                Refusals.TOKEN_LIFETIME);
    }

    @Test
    void givenEdgePolicy_whenModuleUsesItsDevicesKeyOrIsUnknown_thenRefused() {
        String deviceKey = registerSas(ClientIdentity.device("dev-a"));
        registerSas(ClientIdentity.module("dev-a", "filter"));

        assertRefused(withToken("dev-a/filter", token("devices/dev-a/modules/filter", deviceKey,
                start.plusSeconds(60))), start, Refusals.TOKEN_SIGNATURE);
        assertRefused(withToken("dev-a/other", token("devices/dev-a/modules/other", deviceKey,
                start.plusSeconds(60))), start, Refusals.IDENTITY_UNKNOWN);
    }

    @Test
    void givenCaIssuedDevice_whenCertificatesOfTheEdgeCaAndOthersArePresented_thenOnlyAClientCertificateNamingItOpens() {
        identities.addDeviceWithCa("leaf-1");
        KeyedCertificate stranger = authority.createCa("other-ca", Duration.ofDays(365));
        X509Certificate client = authority.issueClient(ca, "leaf-1", Duration.ofDays(30)).certificate();

        assertThat(core().authenticate(withCertificate("leaf-1", client), start))
                .isInstanceOfSatisfying(Accepted.class, a -> assertThat(a.method()).isEqualTo("x509_ca"));
        assertRefused(withCertificate("leaf-1", authority.issueServer(ca, List.of("leaf-1"), Duration.ofDays(30))
                .certificate()), start, Refusals.CERTIFICATE_USAGE);
        assertRefused(withCertificate("leaf-1", authority.issueClient(stranger, "leaf-1", Duration.ofDays(30))
                .certificate()), start, Refusals.CERTIFICATE_UNTRUSTED);
        assertRefused(withCertificate("leaf-1", authority.issueClient(ca, "leaf-2", Duration.ofDays(30))
                .certificate()), start, Refusals.CERTIFICATE_SUBJECT);
    }
}
