package io.outpost.cloud.link.internal;

import io.outpost.security.DeviceCertificates;
import io.outpost.security.DeviceCertificates.DeviceCertificate;
import java.net.Socket;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The device certificate and key files of {@code auth = x509}. They are read on every connection attempt, so that
 * replaced files apply without a restart; the certificate's subject CN must be the device id, as the cloud
 * requires.
 *
 * @param certificate the PEM certificate, the device's first and then any CA certificates that issued it
 * @param privateKey  the PEM private key (owner-only file)
 */
record ClientCertificate(Path certificate, Path privateKey) {

    static final String CERTIFICATE = "certificate";
    static final String PRIVATE_KEY = "privateKey";
    private static final String ALIAS = "device";

    ClientCertificate {
        Objects.requireNonNull(certificate, CERTIFICATE);
        Objects.requireNonNull(privateKey, PRIVATE_KEY);
    }

    /**
     * Reads and checks both files.
     *
     * @throws IllegalArgumentException naming the setting: a file missing, unreadable, not PEM, a key accessible to
     *                                  other users or not the certificate's, or a CN other than the device id
     */
    DeviceCertificate load(String deviceId) {
        DeviceCertificate c = DeviceCertificates.load(certificate, CERTIFICATE, privateKey, PRIVATE_KEY);
        if (!c.commonName().equals(deviceId)) {
            throw new IllegalArgumentException(CERTIFICATE + " " + certificate + ": the subject CN is '"
                    + c.commonName() + "', the cloud requires CN=" + deviceId + " (the DeviceId of connectionString)");
        }
        return c;
    }

    /** Like {@link #load}, and the certificate must be valid now. */
    DeviceCertificate loadValid(String deviceId, Instant now) {
        DeviceCertificate c = load(deviceId);
        X509Certificate leaf = c.leaf();
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new IllegalArgumentException(CERTIFICATE + " " + certificate + " expired at "
                    + leaf.getNotAfter().toInstant());
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new IllegalArgumentException(CERTIFICATE + " " + certificate + " is not valid before "
                    + leaf.getNotBefore().toInstant());
        }
        return c;
    }

    /** A key manager that offers this one certificate (whoever issued it) when the server asks for one. */
    static KeyManager[] keyManagers(DeviceCertificate c) {
        return new KeyManager[] {new OneCertificate(c)};
    }

    private static final class OneCertificate extends X509ExtendedKeyManager {

        private final DeviceCertificate certificate;
        private final String keyType;

        OneCertificate(DeviceCertificate certificate) {
            this.certificate = certificate;
            String algorithm = certificate.key().getAlgorithm();
            this.keyType = algorithm.startsWith("EC") ? "EC" : algorithm;
        }

        private String alias(String[] keyTypes) {
            return keyTypes == null || Arrays.stream(keyTypes).anyMatch(t -> t.equals(keyType)
                    || (keyType.equals("RSA") && t.equals("RSASSA-PSS"))) ? ALIAS : null;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return alias(keyTypes);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return alias(keyTypes);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return alias(new String[] {keyType}) == null ? null : new String[] {ALIAS};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? certificate.chain().toArray(X509Certificate[]::new) : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? certificate.key() : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
