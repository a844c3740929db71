package io.outpost.iothub.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.testing.AuthenticatorContract;
import io.outpost.iothub.testing.MapCredentialSource;
import io.outpost.pki.CertificateAuthority;
import io.outpost.pki.KeyedCertificate;
import io.outpost.pki.SasToken;
import io.outpost.pki.Thumbprints;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract over a map of principals, with the edge's policy (pinned hub); and the rules that depend on the
 * policy, each under the policy it names: the hub pin, token lifetimes, delegation, disabled devices, unknown
 * modules and CA-issued certificates.
 */
class MapSourceAuthenticatorContractTest extends AuthenticatorContract {

    private static final String HUB = "hub.example";

    private final MapCredentialSource source = new MapCredentialSource();
    private final CertificateAuthority authority = new CertificateAuthority(ManualClock.atEpochOf2026());
    private final KeyedCertificate ca = authority.createCa("edge-ca", Duration.ofDays(365));

    private AuthPolicy policy = AuthPolicy.edge(Optional.of(HUB), Duration.ofDays(1), () -> List.of(ca.certificate()));

    private static final String KEY_A = keyFor(ClientIdentity.device("key-a"));
    private static final String KEY_B = keyFor(ClientIdentity.device("key-b"));

    @Override
    protected String registerSas(ClientIdentity identity) {
        return registerSas(identity, keyFor(identity));
    }

    private String registerSas(ClientIdentity identity, String base64Key) {
        source.put(Principal.of(identity, new Credential.SymmetricKey(base64Key)));
        return base64Key;
    }

    @Override
    protected void registerThumbprint(String deviceId, String hex) {
        source.put(Principal.of(ClientIdentity.device(deviceId), new Credential.Thumbprint(hex)));
    }

    @Override
    protected AuthenticatorCore core() {
        return new AuthenticatorCore(policy, source);
    }

    @Override
    protected String hub() {
        return HUB;
    }

    @Test
    void givenEdgePolicyPinningTheHub_whenUserNameNamesAnotherHub_thenRefusedHubNameMismatch() {
        registerSas(ClientIdentity.device("dev-a"), KEY_A);
        String token = token("devices/dev-a", KEY_A, start.plusSeconds(60));

        assertThat(core().authenticate(request("dev-a", "HUB.EXAMPLE/dev-a/?api-version=1", token, List.of()), start))
                .isInstanceOf(Accepted.class);
        assertRefused(request("dev-a", "other.example/dev-a/?api-version=1", token, List.of()), start,
                Refusals.HUB_NAME_MISMATCH);
    }

    @Test
    void givenPolicyWithoutHubName_whenTokenIsForTheUserNamesHub_thenAcceptedAndForAnotherHubRefused() {
        policy = new AuthPolicy(Optional.empty(), false, Duration.ofDays(1), false, false, false, List::of);
        registerSas(ClientIdentity.device("dev-a"), KEY_A);

        assertThat(core().authenticate(request("dev-a", "any.example/dev-a", SasToken.create(
                "any.example/devices/dev-a", KEY_A, start.plusSeconds(60)), List.of()), start))
                .isInstanceOf(Accepted.class);
        assertRefused(request("dev-a", "any.example/dev-a", SasToken.create("other.example/devices/dev-a", KEY_A,
                start.plusSeconds(60)), List.of()), start, Refusals.TOKEN_RESOURCE);
    }

    @Test
    void givenEdgePolicyOfOneDayTokens_whenTokenExpiresLater_thenRefusedTokenLifetime() {
        registerSas(ClientIdentity.device("dev-a"), KEY_A);

        assertThat(core().authenticate(withToken("dev-a", token("devices/dev-a", KEY_A,
                start.plus(Duration.ofDays(1)))), start)).isInstanceOf(Accepted.class);
        assertRefused(withToken("dev-a", token("devices/dev-a", KEY_A, start.plus(Duration.ofDays(1))
                .plusSeconds(1))), start, Refusals.TOKEN_LIFETIME);
    }

    @Test
    void givenEdgePolicy_whenModuleUsesItsDevicesKeyOrIsUnknown_thenRefused() {
        registerSas(ClientIdentity.device("dev-a"), KEY_A);
        registerSas(ClientIdentity.module("dev-a", "filter"), KEY_B);
        String byDevice = token("devices/dev-a/modules/filter", KEY_A, start.plusSeconds(60));

        assertRefused(withToken("dev-a/filter", byDevice), start, Refusals.TOKEN_SIGNATURE);
        assertRefused(withToken("dev-a/other", token("devices/dev-a/modules/other", KEY_A, start.plusSeconds(60))),
                start, Refusals.IDENTITY_UNKNOWN);
    }

    @Test
    void givenCloudPolicy_whenModuleUsesItsDevicesKeyOrIsUnknown_thenAcceptedAsTheModule() {
        policy = AuthPolicy.cloud(Optional.of(HUB), Duration.ofDays(365));
        registerSas(ClientIdentity.device("dev-a"), KEY_A);
        registerSas(ClientIdentity.module("dev-a", "filter"), KEY_B);

        assertThat(core().authenticate(withToken("dev-a/filter", token("devices/dev-a/modules/filter", KEY_A,
                start.plusSeconds(60))), start)).isInstanceOf(Accepted.class);
        assertThat(core().authenticate(withToken("dev-a/$edgeHub", token("devices/dev-a/modules/$edgeHub", KEY_A,
                start.plusSeconds(60))), start)).isInstanceOfSatisfying(Accepted.class, a -> assertThat(
                a.authenticated().identity()).isEqualTo(ClientIdentity.module("dev-a", "$edgeHub")));
    }

    @Test
    void givenCloudPolicy_whenChildUsesItsParentsCredentials_thenAcceptedOnlyWhileTheParentIsEnabled() {
        policy = AuthPolicy.cloud(Optional.of(HUB), Duration.ofDays(365));
        X509Certificate edgeCertificate = authority.selfSignedClient("edge-1", Duration.ofDays(30)).certificate();
        source.put(Principal.of(ClientIdentity.device("edge-1"), new Credential.SymmetricKey(KEY_A),
                new Credential.Thumbprint(Thumbprints.sha256(edgeCertificate))));
        source.put(new Principal(ClientIdentity.device("leaf-1"), true, List.of(new Credential.SymmetricKey(KEY_B)),
                Optional.of("edge-1")));
        registerSas(ClientIdentity.device("stranger"), KEY_B);
        String byParent = token("devices/leaf-1", KEY_A, start.plusSeconds(60));

        assertThat(core().authenticate(withToken("leaf-1", byParent), start)).isInstanceOf(Accepted.class);
        assertThat(core().authenticate(withCertificate("leaf-1", edgeCertificate), start))
                .isInstanceOf(Accepted.class);
        assertRefused(withToken("stranger", token("devices/stranger", KEY_A, start.plusSeconds(60))), start,
                Refusals.TOKEN_SIGNATURE);
        source.put(new Principal(ClientIdentity.device("edge-1"), false, List.of(new Credential.SymmetricKey(KEY_A)),
                Optional.empty()));
        assertRefused(withToken("leaf-1", byParent), start, Refusals.TOKEN_SIGNATURE);
    }

    @Test
    void givenCloudPolicy_whenADelegatedCertificatesCnNamesSomeoneElse_thenRefusedCertificateThumbprint() {
        policy = AuthPolicy.cloud(Optional.of(HUB), Duration.ofDays(365));
        source.put(Principal.of(ClientIdentity.device("dev-a"), new Credential.Thumbprint(Thumbprints.sha256(other))));

        // other's CN is cam-2: the device's thumbprint opens its module only for a certificate naming the device
        assertRefused(withCertificate("dev-a/filter", other), start, Refusals.CERTIFICATE_THUMBPRINT);
        assertThat(core().authenticate(withCertificate("dev-a", other), start)).isInstanceOf(Accepted.class);
    }

    @Test
    void givenDisabledDevice_whenItOrItsModuleConnects_thenRefusedDeviceDisabled() {
        policy = AuthPolicy.cloud(Optional.of(HUB), Duration.ofDays(365));
        source.put(new Principal(ClientIdentity.device("dev-a"), false, List.of(new Credential.SymmetricKey(KEY_A)),
                Optional.empty()));

        assertRefused(withToken("dev-a", token("devices/dev-a", KEY_A, start.plusSeconds(60))), start,
                Refusals.DEVICE_DISABLED);
        assertRefused(withToken("dev-a/m", token("devices/dev-a/modules/m", KEY_A, start.plusSeconds(60))), start,
                Refusals.DEVICE_DISABLED);
    }

    @Test
    void givenCaIssuedDevice_whenCertificatesOfTheCaAndOthersArePresented_thenOnlyAClientCertificateNamingItOpens() {
        source.put(Principal.of(ClientIdentity.device("leaf-1"), new Credential.CaIssued()));
        KeyedCertificate stranger = authority.createCa("other-ca", Duration.ofDays(365));
        X509Certificate client = authority.issueClient(ca, "leaf-1", Duration.ofDays(30)).certificate();

        assertThat(core().authenticate(withCertificate("leaf-1", client, ca.certificate()), start))
                .isInstanceOfSatisfying(Accepted.class, a -> assertThat(a.method()).isEqualTo("x509_ca"));
        assertRefused(withCertificate("leaf-1", authority.issueServer(ca, List.of("leaf-1"), Duration.ofDays(30))
                .certificate()), start, Refusals.CERTIFICATE_USAGE);
        assertRefused(withCertificate("leaf-1", authority.issueClient(stranger, "leaf-1", Duration.ofDays(30))
                .certificate()), start, Refusals.CERTIFICATE_UNTRUSTED);
        assertRefused(withCertificate("leaf-1", authority.issueClient(ca, "leaf-2", Duration.ofDays(30))
                .certificate()), start, Refusals.CERTIFICATE_SUBJECT);
    }
}
