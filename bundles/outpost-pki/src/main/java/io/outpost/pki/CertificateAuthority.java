package io.outpost.pki;

import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates CA certificates and the certificates a CA signs: EC P-256 keys, SHA-256 with ECDSA signatures, validity
 * starting {@link #SKEW} before the clock's now (clock skew between a gateway and its devices) and never past the
 * issuing CA's own expiry.
 */
public final class CertificateAuthority {

    /** How far before now a certificate's validity starts. */
    public static final Duration SKEW = Duration.ofHours(1);

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public CertificateAuthority(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A self-signed CA certificate ({@code CN=<commonName>}, path length 0) and its key. */
    public KeyedCertificate createCa(String commonName, Duration validity) {
        KeyPair keys = newKeyPair();
        Instant now = clock.now();
        try {
            X500Name subject = new X500Name("CN=" + commonName);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(SKEW)),
                    Date.from(now.plus(validity)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            return new KeyedCertificate(sign(b, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | IOException e) {
            throw failed("the CA " + commonName, e);
        }
    }

    /**
     * A TLS server certificate for the host names (DNS names or IP addresses; the first is also the CN), extended
     * key usage serverAuth, signed by the CA.
     */
    public KeyedCertificate issueServer(KeyedCertificate ca, List<String> hostnames, Duration validity) {
        if (hostnames.isEmpty()) {
            throw new IllegalArgumentException("hostnames must name at least one host");
        }
        GeneralName[] names = hostnames.stream().map(CertificateAuthority::generalName).toArray(GeneralName[]::new);
        return issue(ca, hostnames.get(0), validity, KeyPurposeId.id_kp_serverAuth,
                KeyUsage.digitalSignature | KeyUsage.keyAgreement, new GeneralNames(names), "a server certificate");
    }

    /** A TLS client certificate ({@code CN=<commonName>}, extended key usage clientAuth) signed by the CA. */
    public KeyedCertificate issueClient(KeyedCertificate ca, String commonName, Duration validity) {
        return issue(ca, commonName, validity, KeyPurposeId.id_kp_clientAuth, KeyUsage.digitalSignature, null,
                "a client certificate");
    }

    /** A self-signed TLS client certificate ({@code CN=<commonName>}, extended key usage clientAuth, not a CA). */
    public KeyedCertificate selfSignedClient(String commonName, Duration validity) {
        KeyPair keys = newKeyPair();
        Instant now = clock.now();
        try {
            X500Name subject = new X500Name("CN=" + commonName);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(SKEW)),
                    Date.from(now.plus(validity)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            return new KeyedCertificate(sign(b, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | IOException e) {
            throw failed("a self-signed certificate for " + commonName, e);
        }
    }

    private KeyedCertificate issue(KeyedCertificate ca, String commonName, Duration validity, KeyPurposeId usage,
            int keyUsage, GeneralNames names, String what) {
        KeyPair keys = newKeyPair();
        Instant now = clock.now();
        Instant notAfter = now.plus(validity);
        Instant caEnd = ca.certificate().getNotAfter().toInstant();
        if (notAfter.isAfter(caEnd)) {
            notAfter = caEnd;
        }
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
                    Date.from(now.minus(SKEW)), Date.from(notAfter), new X500Name("CN=" + commonName), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage));
            if (names != null) {
                b.addExtension(Extension.subjectAlternativeName, false, names);
            }
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new KeyedCertificate(sign(b, ca.key()), keys.getPrivate());
        } catch (GeneralSecurityException | IOException e) {
            throw failed(what, e);
        }
    }

    private static GeneralName generalName(String host) {
        boolean ip = host.matches("[0-9.]+") || host.contains(":");
        return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw failed("a key pair", e);
        }
    }

    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static OutpostException failed(String what, Exception e) {
        return new OutpostException(PkiErrorCode.CRYPTO_FAILED, "cannot create " + what + ": " + e.getMessage(), e);
    }
}
