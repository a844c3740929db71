package io.outpost.security.internal;

import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import io.outpost.security.SecurityErrorCode;
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
 * Creates the edge CA and the certificates it signs: EC P-256 keys, SHA-256 signatures, validity starting one
 * hour before now (clock skew between a gateway and its devices) and never past the CA's own expiry.
 */
final class EdgeCa {

    private static final Duration SKEW = Duration.ofHours(1);

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    EdgeCa(Clock clock) {
        this.clock = clock;
    }

    /** A self-signed CA certificate and its key pair. */
    Issued createCa(String commonName, Duration validity) {
        KeyPair keys = newKeyPair();
        Instant now = clock.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500Name subject = new X500Name("CN=" + commonName);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(SKEW)),
                    Date.from(now.plus(validity)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new Issued(sign(b, keys.getPrivate()), keys.getPrivate());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw failed("the edge CA", e);
        }
    }

    /** A TLS server certificate for the host names (DNS names or IP addresses), signed by the CA. */
    Issued issueServer(X509Certificate ca, PrivateKey caKey, List<String> hostnames, Duration validity) {
        KeyPair keys = newKeyPair();
        Instant now = clock.now();
        Instant notAfter = now.plus(validity);
        if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
            notAfter = ca.getNotAfter().toInstant();
        }
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            GeneralName[] names = hostnames.stream().map(EdgeCa::generalName).toArray(GeneralName[]::new);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(now.minus(SKEW)),
                    Date.from(notAfter), new X500Name("CN=" + hostnames.get(0)), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new Issued(sign(b, caKey), keys.getPrivate());
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw failed("the hub's server certificate", e);
        }
    }

    /** A certificate and the private key that belongs to it. */
    record Issued(X509Certificate certificate, PrivateKey key) {
    }

    private static GeneralName generalName(String host) {
        boolean ip = host.matches("[0-9.]+") || host.contains(":");
        return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host);
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
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
        return new OutpostException(SecurityErrorCode.CRYPTO_FAILED, "cannot create " + what + ": " + e.getMessage(), e);
    }
}
