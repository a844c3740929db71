package io.outpost.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.common.ManualClock;
import io.outpost.security.DeviceCertificates.DeviceCertificate;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceCertificatesTest {

    @TempDir
    Path dir;

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private final ManualClock clock = ManualClock.atEpochOf2026();

    @Test
    void givenNoFiles_whenCreatedSelfSigned_thenAClientCertificateForTheCnAndAnOwnerOnlyKeyAreWritten()
            throws Exception {
        DeviceCertificate created = DeviceCertificates.createSelfSigned(dir.resolve("etc/device.pem"),
                dir.resolve("etc/device.key"), "edge-1", Duration.ofDays(30), clock);

        X509Certificate leaf = created.leaf();
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=edge-1");
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(leaf.getSubjectX500Principal());
        assertThat(leaf.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(clock.now().plus(Duration.ofDays(30)));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("etc/device.key"))))
                .isEqualTo("rw-------");
        assertThat(created.sha256Thumbprint()).isEqualTo(HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded())));
        assertThat(created.sha1Thumbprint()).isEqualTo(HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-1").digest(leaf.getEncoded())));

        DeviceCertificate loaded = DeviceCertificates.load(dir.resolve("etc/device.pem"), "certificate",
                dir.resolve("etc/device.key"), "privateKey");
        assertThat(loaded.chain()).containsExactly(leaf);
        assertThat(loaded.key().getEncoded()).isEqualTo(created.key().getEncoded());
    }

    @Test
    void givenRsaKeyInPkcs1AndEcKeyInSec1Form_whenLoaded_thenBothAreAccepted() throws Exception {
        for (String algorithm : List.of("RSA", "EC")) {
            KeyPair keys = keys(algorithm);
            Path cert = Files.writeString(dir.resolve(algorithm + ".pem"), pem(selfSigned(keys, algorithm)));
            // a KeyPair is written in the traditional form: "RSA PRIVATE KEY" / "EC PRIVATE KEY"
            String keyPem = pem(keys);
            assertThat(keyPem).startsWith("-----BEGIN " + algorithm + " PRIVATE KEY-----");
            Path key = ownerOnly(Files.writeString(dir.resolve(algorithm + ".key"), keyPem));

            DeviceCertificate c = DeviceCertificates.load(cert, "certificate", key, "privateKey");

            assertThat(c.commonName()).isEqualTo("edge-" + algorithm);
            assertThat(c.key().getAlgorithm()).startsWith(algorithm);
        }
    }

    @Test
    void givenBouncyCastleRegisteredAsJcaProvider_whenLoaded_thenKeysHaveTheAlgorithmNamesTlsPresents()
            throws Exception {
        // as in an OSGi container where BouncyCastle is a registered provider: its PEM keys are named "ECDSA",
        // which the JDK's TLS does not offer as a client certificate
        Security.addProvider(new BouncyCastleProvider());
        try {
            for (String algorithm : List.of("RSA", "EC")) {
                KeyPair keys = keys(algorithm);
                Path cert = Files.writeString(dir.resolve("bc-" + algorithm + ".pem"), pem(selfSigned(keys, algorithm)));
                Path key = ownerOnly(Files.writeString(dir.resolve("bc-" + algorithm + ".key"), pem(keys)));

                DeviceCertificate c = DeviceCertificates.load(cert, "certificate", key, "privateKey");

                assertThat(c.key().getAlgorithm()).isEqualTo(algorithm);
            }
        } finally {
            Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
        }
    }

    @Test
    void givenEncryptedKey_whenLoaded_thenRefusedNamingTheSetting() throws Exception {
        KeyPair keys = keys("EC");
        Path cert = Files.writeString(dir.resolve("c.pem"), pem(selfSigned(keys, "EC")));
        JcaPKCS8Generator encrypted = new JcaPKCS8Generator(keys.getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setProvider(BC).setPassword("secret".toCharArray()).build());
        Path key = ownerOnly(Files.writeString(dir.resolve("k.pem"), pem(encrypted)));

        assertThatThrownBy(() -> DeviceCertificates.load(cert, "certificate", key, "privateKey"))
                .hasMessage("privateKey " + key + " is encrypted: give the key without a passphrase (mode 600 "
                        + "protects it)");
    }

    private static KeyPair keys(String algorithm) throws Exception {
        // BouncyCastle's keys keep the EC parameters in the SEC1 form, as openssl writes it
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm, BC);
        g.initialize(algorithm.equals("RSA") ? 2048 : 256);
        return g.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair keys, String algorithm) throws Exception {
        X500Name name = new X500Name("CN=edge-" + algorithm);
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), name, keys.getPublic())
                .build(new JcaContentSignerBuilder(algorithm.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA")
                        .build(keys.getPrivate())));
    }

    private static Path ownerOnly(Path file) throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
