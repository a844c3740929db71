package io.outpost.security;

import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import io.outpost.pki.CertificateAuthority;
import io.outpost.pki.CertificateChecks;
import io.outpost.pki.KeyedCertificate;
import io.outpost.pki.Pem;
import io.outpost.pki.PkiErrorCode;
import io.outpost.pki.SecretFiles;
import io.outpost.pki.Thumbprints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A device's X.509 client certificate and its private key, as PEM files: read and checked (each error names the
 * setting that points at the file), or created self-signed. The key file must be accessible to its owner only,
 * as the edge CA's key is; a created key file is written with mode 600. Keys are never part of a message.
 */
public final class DeviceCertificates {

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
            KeyedCertificate made = new CertificateAuthority(clock).selfSignedClient(commonName, validity);
            SecretFiles.write(privateKey, Pem.encode(made.key()).getBytes(StandardCharsets.US_ASCII));
            Path dir = certificate.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Files.writeString(certificate, Pem.encode(made.certificate()), StandardCharsets.US_ASCII);
            return new DeviceCertificate(List.of(made.certificate()), made.key());
        } catch (OutpostException | IOException e) {
            throw new IllegalStateException("cannot create a device certificate in " + certificate + ": "
                    + e.getMessage(), e);
        }
    }

    /** The SHA-256 thumbprint of the certificate's DER encoding: 64 upper-case hex digits, as the cloud stores it. */
    public static String sha256Thumbprint(X509Certificate certificate) {
        return Thumbprints.sha256(certificate);
    }

    /** The SHA-1 thumbprint: 40 upper-case hex digits. */
    public static String sha1Thumbprint(X509Certificate certificate) {
        return Thumbprints.sha1(certificate);
    }

    /** The subject's common name (CN); empty when it has none. */
    public static String commonName(X509Certificate certificate) {
        return CertificateChecks.commonName(certificate);
    }

    private static List<X509Certificate> readChain(Path file, String setting) {
        String text = read(file, setting);
        List<X509Certificate> chain;
        try {
            chain = Pem.certificates(text);
        } catch (OutpostException e) {
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
        try {
            return Pem.privateKey(text);
        } catch (OutpostException e) {
            if (e.errorCode() == PkiErrorCode.KEY_ENCRYPTED) {
                throw new IllegalArgumentException(setting + " " + file
                        + " is encrypted: give the key without a passphrase (mode 600 protects it)", e);
            }
            if (e.errorCode() == PkiErrorCode.PEM_MISSING) {
                throw new IllegalArgumentException(setting + " " + file + " holds no PEM private key "
                        + "(-----BEGIN PRIVATE KEY----- or -----BEGIN EC/RSA PRIVATE KEY-----)", e);
            }
            // the message names the parser's failure only, never the file's content
            throw new IllegalArgumentException(setting + " " + file + " is not a readable PEM private key: "
                    + e.getMessage(), e);
        }
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
}
