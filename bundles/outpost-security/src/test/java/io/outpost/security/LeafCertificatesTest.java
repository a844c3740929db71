package io.outpost.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.common.ManualClock;
import io.outpost.security.internal.FileIdentityStore;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeafCertificatesTest {

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.atEpochOf2026();

    @Test
    void givenDeviceRegisteredWithSha1Thumbprint_whenItsCertificateIsMatched_thenItMatches() throws Exception {
        X509Certificate leaf = DeviceCertificates.createSelfSigned(dir.resolve("leaf.pem"), dir.resolve("leaf.key"),
                "leaf-1", Duration.ofDays(30), clock).leaf();
        X509Certificate other = DeviceCertificates.createSelfSigned(dir.resolve("other.pem"),
                dir.resolve("other.key"), "leaf-1", Duration.ofDays(30), clock).leaf();
        FileIdentityStore store = new FileIdentityStore(dir.resolve("identities.properties"), clock);
        String sha1 = DeviceCertificates.sha1Thumbprint(leaf);
        String sha256 = DeviceCertificates.sha256Thumbprint(leaf);

        Identity bySha1 = store.addDeviceWithThumbprint("leaf-1", sha1.toLowerCase(Locale.ROOT));
        Identity bySha256 = store.addDeviceWithThumbprint("leaf-2", sha256);

        assertThat(LeafCertificates.thumbprintMatches(leaf, bySha1.thumbprint().orElseThrow())).isTrue();
        assertThat(LeafCertificates.thumbprintMatches(leaf, bySha256.thumbprint().orElseThrow())).isTrue();
        assertThat(LeafCertificates.thumbprintMatches(leaf, sha1.toLowerCase(Locale.ROOT))).isTrue();
        assertThat(LeafCertificates.thumbprintMatches(other, bySha1.thumbprint().orElseThrow())).isFalse();
        assertThat(LeafCertificates.thumbprintMatches(other, bySha256.thumbprint().orElseThrow())).isFalse();
        assertThat(LeafCertificates.thumbprintMatches(leaf, sha256.substring(0, 50))).isFalse();
        assertThat(LeafCertificates.thumbprintMatches(leaf, null)).isFalse();
    }

    @Test
    void givenCaIssuedLeaves_whenCheckedForClientAuth_thenOnlyTheOneWithClientAuthPasses() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair ca = generator.generateKeyPair();

        Optional<String> client = LeafCertificates.clientAuthRefusal(
                issue(ca, generator.generateKeyPair(), new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)));
        Optional<String> both = LeafCertificates.clientAuthRefusal(issue(ca, generator.generateKeyPair(),
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})));
        Optional<String> server = LeafCertificates.clientAuthRefusal(
                issue(ca, generator.generateKeyPair(), new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth)));
        Optional<String> none = LeafCertificates.clientAuthRefusal(issue(ca, generator.generateKeyPair(), null));

        assertThat(client).isEmpty();
        assertThat(both).isEmpty();
        assertThat(server).hasValueSatisfying(reason -> assertThat(reason)
                .isEqualTo("the certificate's extended key usages (serverAuth) do not include clientAuth "
                        + "(1.3.6.1.5.5.7.3.2)"));
        assertThat(none).hasValueSatisfying(reason -> assertThat(reason)
                .contains("no extended key usage extension").contains("clientAuth (1.3.6.1.5.5.7.3.2)"));
    }

    private X509Certificate issue(KeyPair ca, KeyPair leaf, ExtendedKeyUsage usage) throws Exception {
        Instant now = clock.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Test CA"),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=leaf-1"), leaf.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        if (usage != null) {
            builder.addExtension(Extension.extendedKeyUsage, false, usage);
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
    }
}
