package io.outpost.pki;

import io.outpost.common.OutpostException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM encoding and decoding of certificates and private keys (BouncyCastle). Errors are {@link OutpostException}s
 * with a {@link PkiErrorCode}; their messages never quote the PEM text.
 */
public final class Pem {

    private Pem() {
    }

    /** The certificates as PEM blocks, in the order given (a chain: the leaf first, then its issuers). */
    public static String encode(X509Certificate... certificates) {
        return write((Object[]) certificates);
    }

    /** The key as a PKCS#8 {@code PRIVATE KEY} block: the form that keeps EC parameters and that every tool reads. */
    public static String encode(PrivateKey key) {
        return write(key);
    }

    /**
     * The first certificate in the text.
     *
     * @throws OutpostException {@link PkiErrorCode#PEM_MISSING} when it holds none, {@code CRYPTO_FAILED} when it
     *     cannot be read
     */
    public static X509Certificate certificate(String pem) {
        List<X509Certificate> all = certificates(pem);
        if (all.isEmpty()) {
            throw new OutpostException(PkiErrorCode.PEM_MISSING,
                    "no certificate in the PEM text (-----BEGIN CERTIFICATE-----)");
        }
        return all.get(0);
    }

    /** Every certificate in the text, in order (other PEM objects are skipped); empty when it holds none. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    out.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new OutpostException(PkiErrorCode.CRYPTO_FAILED, "cannot read a certificate: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The first private key in the text: a PKCS#8 {@code PRIVATE KEY} or a traditional {@code EC}/{@code RSA PRIVATE
     * KEY}, not encrypted, as the platform's own provider makes it ({@link #platformKey(PrivateKey)}).
     *
     * @throws OutpostException {@link PkiErrorCode#KEY_ENCRYPTED} when the key is encrypted, {@code PEM_MISSING} when
     *     the text holds no key, {@code CRYPTO_FAILED} when it cannot be read
     */
    public static PrivateKey privateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return platformKey(converter.getPrivateKey(pair.getPrivateKeyInfo()));
                }
                if (o instanceof PrivateKeyInfo info) {
                    return platformKey(converter.getPrivateKey(info));
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new OutpostException(PkiErrorCode.KEY_ENCRYPTED, "the private key is encrypted");
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof OutpostException oe) {
                throw oe;
            }
            // the parser's message may quote the text: keep it out
            throw new OutpostException(PkiErrorCode.CRYPTO_FAILED, "cannot read a PEM private key ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        throw new OutpostException(PkiErrorCode.PEM_MISSING,
                "no private key in the PEM text (-----BEGIN PRIVATE KEY----- or -----BEGIN EC/RSA PRIVATE KEY-----)");
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

    private static String write(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                pem.writeObject(o instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : o);
            }
        } catch (IOException e) {
            throw new OutpostException(PkiErrorCode.CRYPTO_FAILED, "cannot encode PEM: " + e.getMessage(), e);
        }
        return out.toString();
    }
}
