package io.outpost.security.internal;

import io.outpost.common.OutpostException;
import io.outpost.security.SecurityErrorCode;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/** PEM encoding and decoding of certificates and key pairs (BouncyCastle). */
public final class Pem {

    private Pem() {
    }

    static String write(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                // Private keys as PKCS#8 ("PRIVATE KEY"): the form that keeps EC parameters and every tool reads.
                pem.writeObject(o instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : o);
            }
        } catch (IOException e) {
            throw new OutpostException(SecurityErrorCode.CRYPTO_FAILED, "cannot encode PEM: " + e.getMessage(), e);
        }
        return out.toString();
    }

    static X509Certificate certificate(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            if (!(o instanceof X509CertificateHolder holder)) {
                throw new OutpostException(SecurityErrorCode.CRYPTO_FAILED, "no certificate in the PEM text");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (IOException | CertificateException e) {
            throw new OutpostException(SecurityErrorCode.CRYPTO_FAILED, "cannot read a certificate: " + e.getMessage(), e);
        }
    }

    /** The private key of a PEM key pair ("EC/RSA PRIVATE KEY") or of a PKCS#8 "PRIVATE KEY". */
    static PrivateKey privateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return platformKey(converter.getPrivateKey(pair.getPrivateKeyInfo()));
            }
            if (o instanceof PrivateKeyInfo info) {
                return platformKey(converter.getPrivateKey(info));
            }
            throw new OutpostException(SecurityErrorCode.CRYPTO_FAILED, "no private key in the PEM text");
        } catch (IOException | GeneralSecurityException e) {
            throw new OutpostException(SecurityErrorCode.CRYPTO_FAILED, "cannot read a key: " + e.getMessage(), e);
        }
    }

    /**
     * The key as the platform's own provider makes it. Where BouncyCastle is registered as a JCA provider (as it
     * may be in an OSGi container), BouncyCastle's PEM converter returns its keys, whose algorithm is "ECDSA"; the
     * JDK's TLS then offers no certificate for them, since it only presents keys named "EC" or "RSA".
     */
    public static PrivateKey platformKey(PrivateKey key) throws GeneralSecurityException {
        String algorithm = key.getAlgorithm().startsWith("EC") ? "EC" : key.getAlgorithm();
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    }
}
