package io.outpost.security;

import io.outpost.common.Clock;
import io.outpost.security.internal.Pem;
import io.outpost.security.internal.SecretFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A device's X.509 client certificate and its private key, as PEM files: read and checked (each error names the
 * setting that points at the file), or created self-signed. The key file must be accessible to its owner only,
 * as the edge CA's key is; a created key file is written with mode 600. Keys are never part of a message.
 */
public final class DeviceCertificates {

    private static final Duration SKEW = Duration.ofHours(1);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private DeviceCertificates() {
    }

    /**
     * A certificate chain (the device's certificate first, then any CA certificates that issued it) and the
     * device certificate's private key.
     */
    public record DeviceCertificate(List<X509Certificate> chain, PrivateKey key) {

        public DeviceCertificate {
            chain = List.copyOf(chain);
            Objects.requireNonNull(key, "key");
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("a device certificate chain needs at least one certificate");
            }
        }

        /** The device's own certificate. */
        public X509Certificate leaf() {
            return chain.get(0);
        }

        public String sha256Thumbprint() {
            return DeviceCertificates.sha256Thumbprint(leaf());
        }

        public String sha1Thumbprint() {
            return DeviceCertificates.sha1Thumbprint(leaf());
        }

        public String commonName() {
            return DeviceCertificates.commonName(leaf());
        }

        @Override
        public String toString() {
            return "DeviceCertificate[subject=" + leaf().getSubjectX500Principal().getName() + ", sha256="
                    + sha256Thumbprint() + ", key=hidden]";
        }
    }

    /**
     * Reads a device certificate (PEM, the device's certificate first, then its CA chain if any) and its private
     * key (PEM: PKCS#8 {@code PRIVATE KEY}, or {@code EC}/{@code RSA PRIVATE KEY}; not encrypted), and checks that
     * the key belongs to the certificate and that the key file is not accessible to other users.
     *
     * @param certificateSetting the name of the setting that points at the certificate, for the error messages
     * @param keySetting         the same for the key
     * @throws IllegalArgumentException with a message that names the setting and the file
     */
    public static DeviceCertificate load(Path certificate, String certificateSetting, Path privateKey,
            String keySetting) {
        List<X509Certificate> chain = readChain(certificate, certificateSetting);
        checkOwnerOnly(privateKey, keySetting);
        PrivateKey key = readKey(privateKey, keySetting);
        if (!matches(key, chain.get(0))) {
            throw new IllegalArgumentException(keySetting + " " + privateKey + " does not belong to "
                    + certificateSetting + " " + certificate + ": the key does not match the certificate's public key");
        }
        return new DeviceCertificate(chain, key);
    }

    /**
     * Creates a self-signed client certificate ({@code CN=<commonName>}, EC P-256, SHA-256 with ECDSA, extended key
     * usage clientAuth) valid from an hour ago for {@code validity}, and writes the key (mode 600) and then the
     * certificate. Existing files are replaced.
     */
    public static DeviceCertificate createSelfSigned(Path certificate, Path privateKey, String commonName,
            Duration validity, Clock clock) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            SecureRandom random = new SecureRandom();
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keys = generator.generateKeyPair();
            Instant now = clock.now();
            X500Name subject = new X500Name("CN=" + commonName);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(127, random).add(BigInteger.ONE), Date.from(now.minus(SKEW)),
                    Date.from(now.plus(validity)), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            SecretFiles.write(privateKey, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
            Path dir = certificate.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Files.write(certificate, pem(cert));
            return new DeviceCertificate(List.of(cert), keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create a device certificate in " + certificate + ": "
                    + e.getMessage(), e);
        }
    }

    /** The SHA-256 thumbprint of the certificate's DER encoding: 64 upper-case hex digits, as the cloud stores it. */
    public static String sha256Thumbprint(X509Certificate certificate) {
        return digest("SHA-256", certificate);
    }

    /** The SHA-1 thumbprint: 40 upper-case hex digits. */
    public static String sha1Thumbprint(X509Certificate certificate) {
        return digest("SHA-1", certificate);
    }

    /** The subject's common name (CN); empty when it has none. */
    public static String commonName(X509Certificate certificate) {
        for (String part : certificate.getSubjectX500Principal().getName().split(",")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "CN=", 0, 3)) {
                return p.substring(3);
            }
        }
        return "";
    }

    private static String digest(String algorithm, X509Certificate certificate) {
        try {
            return HexFormat.of().withUpperCase()
                    .formatHex(MessageDigest.getInstance(algorithm).digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute the " + algorithm + " thumbprint: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> readChain(Path file, String setting) {
        String text = read(file, setting);
        List<X509Certificate> chain = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException(setting + " " + file + " is not a readable PEM certificate file: "
                    + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(setting + " " + file
                    + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey readKey(Path file, String setting) {
        String text = read(file, setting);
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return Pem.platformKey(converter.getPrivateKey(pair.getPrivateKeyInfo()));
                }
                if (o instanceof PrivateKeyInfo info) {
                    return Pem.platformKey(converter.getPrivateKey(info));
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalArgumentException(setting + " " + file
                            + " is encrypted: give the key without a passphrase (mode 600 protects it)");
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith(setting + " ")) {
                throw iae;
            }
            // the parser's message may quote the file: keep it out
            throw new IllegalArgumentException(setting + " " + file + " is not a readable PEM private key ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        throw new IllegalArgumentException(setting + " " + file
                + " holds no PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN EC/RSA PRIVATE KEY-----)");
    }

    private static void checkOwnerOnly(Path file, String setting) {
        if (!Files.isRegularFile(file)) {
            read(file, setting);
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return;
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + " " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (permissions.stream().anyMatch(OTHERS::contains)) {
            throw new IllegalArgumentException(setting + " " + file + " is accessible to other users ("
                    + PosixFilePermissions.toString(permissions) + "): make it readable by its owner only "
                    + "(chmod 600)");
        }
    }

    private static String read(Path file, String setting) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(setting + " " + file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(setting + " " + file + " cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + " " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Signs with the key and verifies with the certificate's public key. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null || !sameFamily(key, certificate)) {
            return false;
        }
        try {
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
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean sameFamily(PrivateKey key, X509Certificate certificate) {
        String a = key.getAlgorithm();
        String b = certificate.getPublicKey().getAlgorithm();
        return a.equals(b) || (a.startsWith("EC") && b.startsWith("EC")) || (a.startsWith("Ed") && b.startsWith("Ed"));
    }

    private static byte[] pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
