package io.outpost.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.common.ManualClock;
import io.outpost.common.OutpostException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {

    @TempDir
    Path dir;

    private final CertificateAuthority authority = new CertificateAuthority(ManualClock.atEpochOf2026());
    private final KeyedCertificate ca = authority.createCa("Test CA", Duration.ofDays(365));
    private final KeyedCertificate leaf = authority.issueClient(ca, "leaf-1", Duration.ofDays(30));

    @Test
    void givenChainAndKey_whenEncodedAndDecoded_thenTheSameCertificatesAndKey() {
        String chain = Pem.encode(leaf.certificate(), ca.certificate());
        String key = Pem.encode(leaf.key());

        assertThat(chain).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Pem.certificates(chain)).containsExactly(leaf.certificate(), ca.certificate());
        assertThat(Pem.certificate(chain)).isEqualTo(leaf.certificate());
        assertThat(key).startsWith("-----BEGIN PRIVATE KEY-----");
        PrivateKey decoded = Pem.privateKey(key);
        assertThat(decoded.getEncoded()).isEqualTo(leaf.key().getEncoded());
        assertThat(decoded.getAlgorithm()).isEqualTo("EC");
        assertThat(Pem.certificates(key)).isEmpty();
    }

    @Test
    void givenFilesWeWrite_whenOpensslReadsThem_thenItFindsTheSameCertificateAndAMatchingKey() throws Exception {
        Files.writeString(dir.resolve("leaf.pem"), Pem.encode(leaf.certificate(), ca.certificate()));
        Files.writeString(dir.resolve("leaf.key"), Pem.encode(leaf.key()));
        Files.writeString(dir.resolve("ca.pem"), Pem.encode(ca.certificate()));

        assertThat(Openssl.run(dir, "x509", "-in", "leaf.pem", "-noout", "-subject")).contains("leaf-1");
        assertThat(Openssl.run(dir, "verify", "-CAfile", "ca.pem", "-attime",
                String.valueOf(leaf.certificate().getNotBefore().toInstant().getEpochSecond() + 60), "leaf.pem"))
                .contains("leaf.pem: OK");
        String certKey = Openssl.run(dir, "x509", "-in", "leaf.pem", "-noout", "-pubkey");
        String keyKey = Openssl.run(dir, "pkey", "-in", "leaf.key", "-pubout");
        assertThat(keyKey).isEqualTo(certKey);
    }

    @Test
    void givenKeyAndCertificateOpensslMade_whenRead_thenTheKeySignsWhatTheCertificateVerifies() throws Exception {
        // SEC1 "EC PRIVATE KEY", the form openssl ecparam writes, and an RSA key in PKCS#1 "RSA PRIVATE KEY"
        Openssl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
        Openssl.run(dir, "req", "-x509", "-new", "-key", "ec.key", "-subj", "/CN=ec-device", "-days", "2",
                "-out", "ec.pem");
        Openssl.run(dir, "genrsa", "-traditional", "-out", "rsa.key", "2048");
        Openssl.run(dir, "req", "-x509", "-new", "-key", "rsa.key", "-subj", "/CN=rsa-device", "-days", "2",
                "-out", "rsa.pem");

        for (String name : List.of("ec", "rsa")) {
            String keyText = Files.readString(dir.resolve(name + ".key"));
            assertThat(keyText).startsWith("-----BEGIN " + name.toUpperCase() + " PRIVATE KEY-----");
            PrivateKey key = Pem.privateKey(keyText);
            X509Certificate certificate = Pem.certificate(Files.readString(dir.resolve(name + ".pem")));
            assertThat(CertificateChecks.commonName(certificate)).isEqualTo(name + "-device");
            assertThat(signsFor(key, certificate, name.equals("ec") ? "SHA256withECDSA" : "SHA256withRSA")).isTrue();
        }
    }

    @Test
    void givenBouncyCastleRegisteredAsJcaProvider_whenKeyRead_thenThePlatformsAlgorithmName() {
        Security.addProvider(new BouncyCastleProvider());
        try {
            assertThat(Pem.privateKey(Pem.encode(leaf.key())).getAlgorithm()).isEqualTo("EC");
        } finally {
            Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
        }
    }

    @Test
    void givenTextWithoutWhatIsAsked_whenRead_thenPemMissing() {
        String certOnly = Pem.encode(ca.certificate());

        assertThatThrownBy(() -> Pem.privateKey(certOnly)).isInstanceOfSatisfying(OutpostException.class,
                e -> assertThat(e.errorCode()).isEqualTo(PkiErrorCode.PEM_MISSING));
        assertThatThrownBy(() -> Pem.certificate(Pem.encode(leaf.key()))).isInstanceOfSatisfying(
                OutpostException.class, e -> assertThat(e.errorCode()).isEqualTo(PkiErrorCode.PEM_MISSING));
        assertThatThrownBy(() -> Pem.certificate("")).isInstanceOfSatisfying(OutpostException.class,
                e -> assertThat(e.errorCode()).isEqualTo(PkiErrorCode.PEM_MISSING));
    }

    @Test
    void givenEncryptedOrDamagedKey_whenRead_thenRefusedWithoutQuotingIt() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        StringWriter encrypted = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(encrypted)) {
            w.writeObject(new JcaPKCS8Generator(g.generateKeyPair().getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider())
                            .setPassword("secret".toCharArray()).build()));
        }
        String damaged = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n";

        assertThatThrownBy(() -> Pem.privateKey(encrypted.toString())).isInstanceOfSatisfying(OutpostException.class,
                e -> assertThat(e.errorCode()).isEqualTo(PkiErrorCode.KEY_ENCRYPTED));
        assertThatThrownBy(() -> Pem.privateKey(damaged)).isInstanceOfSatisfying(OutpostException.class,
                e -> assertThat(e.errorCode()).isEqualTo(PkiErrorCode.CRYPTO_FAILED))
                .message().doesNotContain("c2VjcmV0");
    }

    private static boolean signsFor(PrivateKey key, X509Certificate certificate, String algorithm) throws Exception {
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }
}
