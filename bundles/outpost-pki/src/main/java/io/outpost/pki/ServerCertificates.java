package io.outpost.pki;

import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CA and the TLS server certificate it issues, kept in a folder: {@code ca.pem}/{@code ca.key} (generated on first
 * use unless the operator supplies the CA), {@code server.pem} (the chain) and {@code server.key}, and
 * {@code trust-bundle.pem} (the CA certificate clients trust). Keys are written with mode 600 and never logged.
 * {@link #renewIfNeeded()} renews the server certificate {@code renewBefore} ahead of its expiry, or when the host
 * names or the CA change. The edge's hub and the cloud's device endpoint both keep their certificates so.
 */
public final class ServerCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificates.class);

    /**
     * Where the files live and what to issue.
     *
     * @param dir            the folder of the files
     * @param caName         the common name of a generated CA
     * @param hostnames      the DNS names and IP addresses the server certificate names (at least one)
     * @param caValidity     how long a generated CA is valid
     * @param serverValidity how long a server certificate is valid (longer than {@code renewBefore})
     * @param renewBefore    how long before its expiry the server certificate is renewed
     * @param suppliedCaCert an operator's CA certificate (PEM file), given together with {@code suppliedCaKey}
     * @param suppliedCaKey  its private key (PEM file)
     */
    public record Settings(Path dir, String caName, List<String> hostnames, Duration caValidity,
            Duration serverValidity, Duration renewBefore, Optional<Path> suppliedCaCert,
            Optional<Path> suppliedCaKey) {

        public Settings {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(caName, "caName");
            Objects.requireNonNull(caValidity, "caValidity");
            Objects.requireNonNull(serverValidity, "serverValidity");
            Objects.requireNonNull(renewBefore, "renewBefore");
            hostnames = List.copyOf(hostnames);
            if (hostnames.isEmpty()) {
                throw new IllegalArgumentException("hostnames must name at least one host");
            }
            if (serverValidity.compareTo(renewBefore) <= 0) {
                throw new IllegalArgumentException("serverValidity must be longer than renewBefore");
            }
            if (suppliedCaCert.isPresent() != suppliedCaKey.isPresent()) {
                throw new IllegalArgumentException("suppliedCaCert and suppliedCaKey are given together or not at all");
            }
        }
    }

    private record State(KeyedCertificate ca, KeyedCertificate server) {
    }

    private final Settings settings;
    private final Clock clock;
    private final CertificateAuthority authority;
    private volatile State state;

    private ServerCertificates(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.authority = new CertificateAuthority(clock);
        KeyedCertificate ca = loadOrCreateCa();
        this.state = new State(ca, loadServer());
        write("trust-bundle.pem", trustBundlePem(), false);
        renewIfNeeded();
    }

    /** Loads the CA and server certificate from the folder, creating what is missing, and renews if needed. */
    public static ServerCertificates open(Settings settings, Clock clock) {
        return new ServerCertificates(settings, clock);
    }

    /**
     * Issues a new server certificate when there is none, when it nears expiry ({@code renewBefore}), names other
     * host names or was issued by another CA. Call it periodically.
     *
     * @return whether a new certificate was issued (TLS listeners then reload it)
     */
    public synchronized boolean renewIfNeeded() {
        State s = state;
        X509Certificate server = s.server() == null ? null : s.server().certificate();
        String why = server == null ? "none yet"
                : !clock.now().isBefore(server.getNotAfter().toInstant().minus(settings.renewBefore())) ? "near expiry"
                : !CertificateChecks.subjectAlternativeNames(server).equals(settings.hostnames()) ? "host names changed"
                : !server.getIssuerX500Principal().equals(s.ca().certificate().getSubjectX500Principal())
                        ? "issued by another CA"
                : null;
        if (why == null) {
            return false;
        }
        KeyedCertificate issued = authority.issueServer(s.ca(), settings.hostnames(), settings.serverValidity());
        write("server.pem", Pem.encode(issued.certificate(), s.ca().certificate()), false);
        write("server.key", Pem.encode(issued.key()), true);
        state = new State(s.ca(), issued);
        LOG.info("server-certificate-issued reason=\"{}\" hostnames={} notAfter={}", why, settings.hostnames(),
                issued.certificate().getNotAfter().toInstant());
        return true;
    }

    /** The CA certificate. */
    public X509Certificate caCertificate() {
        return state.ca().certificate();
    }

    /** The current server certificate with its key. */
    public KeyedCertificate server() {
        return state.server();
    }

    /** The CA certificate as PEM: what clients trust. */
    public String trustBundlePem() {
        return Pem.encode(state.ca().certificate());
    }

    /** The server certificate and the CA certificate, as PEM. */
    public String serverChainPem() {
        State s = state;
        return Pem.encode(s.server().certificate(), s.ca().certificate());
    }

    /** The server certificate, its chain and key in a PKCS12 key store under alias {@code server}. */
    public KeyStore serverKeyStore(char[] password) {
        State s = state;
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", s.server().key(), password,
                    new Certificate[] {s.server().certificate(), s.ca().certificate()});
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new OutpostException(PkiErrorCode.CRYPTO_FAILED, "cannot build the server key store: "
                    + e.getMessage(), e);
        }
    }

    private KeyedCertificate loadOrCreateCa() {
        if (settings.suppliedCaCert().isPresent()) {
            return new KeyedCertificate(Pem.certificate(read(settings.suppliedCaCert().get())),
                    Pem.privateKey(read(settings.suppliedCaKey().orElseThrow())));
        }
        Path cert = settings.dir().resolve("ca.pem");
        Path key = settings.dir().resolve("ca.key");
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            return new KeyedCertificate(Pem.certificate(read(cert)), Pem.privateKey(read(key)));
        }
        KeyedCertificate ca = authority.createCa(settings.caName(), settings.caValidity());
        write("ca.key", Pem.encode(ca.key()), true);
        write("ca.pem", Pem.encode(ca.certificate()), false);
        LOG.info("edge-ca-created subject=\"{}\" notAfter={}", ca.certificate().getSubjectX500Principal().getName(),
                ca.certificate().getNotAfter().toInstant());
        return ca;
    }

    private KeyedCertificate loadServer() {
        Path cert = settings.dir().resolve("server.pem");
        Path key = settings.dir().resolve("server.key");
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            return new KeyedCertificate(Pem.certificate(read(cert)), Pem.privateKey(read(key)));
        }
        return null;
    }

    private void write(String name, String pem, boolean secret) {
        Path target = settings.dir().resolve(name);
        try {
            if (secret) {
                SecretFiles.write(target, pem.getBytes(StandardCharsets.US_ASCII));
            } else {
                Files.createDirectories(settings.dir());
                Files.writeString(target, pem, StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            throw new OutpostException(PkiErrorCode.CRYPTO_FAILED, "cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(Objects.requireNonNull(path), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new OutpostException(PkiErrorCode.CRYPTO_FAILED, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
