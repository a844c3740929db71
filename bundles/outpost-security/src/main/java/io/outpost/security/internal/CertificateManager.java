package io.outpost.security.internal;

import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import io.outpost.security.CertificateService;
import io.outpost.security.CertificateStatus;
import io.outpost.security.SecurityErrorCode;
import io.outpost.security.ServerCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the edge CA and the hub's server certificate in {@code dir}: {@code ca.pem}/{@code ca.key} (unless the
 * operator supplies the CA), {@code server.pem} (chain) and {@code server.key}, and {@code trust-bundle.pem} for
 * modules and leaf devices. Keys are written with mode 600 and never logged. {@link #renewIfNeeded()} renews
 * the server certificate {@code renewBefore} ahead of its expiry, or when the host names change.
 */
public final class CertificateManager implements CertificateService {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateManager.class);

    private record State(X509Certificate ca, PrivateKey caKey, X509Certificate server, PrivateKey serverKey) {
    }

    private final CaSettings settings;
    private final Clock clock;
    private final EdgeCa edgeCa;
    private volatile State state;

    CertificateManager(CaSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.edgeCa = new EdgeCa(clock);
        EdgeCa.Issued ca = loadOrCreateCa();
        this.state = new State(ca.certificate(), ca.key(), null, null);
        loadServer();
        renewIfNeeded();
    }

    /**
     * A CA of its own (generated in {@code dir} on first use, {@code ca.pem}/{@code ca.key}) and a TLS server
     * certificate it issues for {@code hostnames}, for a listener other than the edge hub's (the cloud's device
     * endpoint). Call {@link #renewIfNeeded()} periodically.
     */
    public static CertificateManager open(Path dir, String caName, List<String> hostnames, Duration caValidity,
            Duration serverValidity, Duration renewBefore, Clock clock) {
        return new CertificateManager(new CaSettings(dir, caName, hostnames, caValidity, serverValidity, renewBefore,
                renewBefore, Optional.empty(), Optional.empty()), clock);
    }

    /** Renews the server certificate when it is missing, near expiry, for other host names or another CA. */
    public synchronized boolean renewIfNeeded() {
        State s = state;
        String why = s.server() == null ? "none yet"
                : !clock.now().isBefore(s.server().getNotAfter().toInstant().minus(settings.renewBefore())) ? "near expiry"
                : !names(s.server()).equals(settings.hostnames()) ? "host names changed"
                : !s.server().getIssuerX500Principal().equals(s.ca().getSubjectX500Principal()) ? "issued by another CA"
                : null;
        if (why == null) {
            return false;
        }
        EdgeCa.Issued server = edgeCa.issueServer(s.ca(), s.caKey(), settings.hostnames(), settings.serverValidity());
        write("server.pem", Pem.write(server.certificate(), s.ca()), false);
        write("server.key", Pem.write(server.key()), true);
        state = new State(s.ca(), s.caKey(), server.certificate(), server.key());
        LOG.info("server-certificate-issued reason=\"{}\" hostnames={} notAfter={}", why, settings.hostnames(),
                server.certificate().getNotAfter().toInstant());
        return true;
    }

    @Override
    public String trustBundlePem() {
        return Pem.write(state.ca());
    }

    @Override
    public ServerCertificate serverCertificate() {
        State s = state;
        return new ServerCertificate(Pem.write(s.server(), s.ca()), Pem.write(s.serverKey()),
                s.server().getNotBefore().toInstant(), s.server().getNotAfter().toInstant(), names(s.server()));
    }

    @Override
    public KeyStore serverKeyStore(char[] password) {
        State s = state;
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", s.serverKey(), password, new Certificate[] {s.server(), s.ca()});
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new OutpostException(SecurityErrorCode.CRYPTO_FAILED, "cannot build the server key store: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<CertificateStatus> status() {
        State s = state;
        Instant now = clock.now();
        List<CertificateStatus> out = new ArrayList<>();
        Instant caEnd = s.ca().getNotAfter().toInstant();
        boolean caSoon = !now.isBefore(caEnd.minus(settings.warnBefore()));
        out.add(new CertificateStatus("edge-ca", s.ca().getSubjectX500Principal().getName(), caEnd, caSoon,
                caSoon ? "the edge CA expires at " + caEnd + ": supply a new CA (caCertFile, caKeyFile) or remove "
                        + settings.dir().resolve("ca.pem") + " and restart to generate one" : "ok"));
        Instant srvEnd = s.server().getNotAfter().toInstant();
        boolean srvSoon = !now.isBefore(srvEnd.minus(settings.renewBefore()));
        out.add(new CertificateStatus("hub-server", s.server().getSubjectX500Principal().getName(), srvEnd, srvSoon,
                srvSoon ? "the hub's certificate expires at " + srvEnd + " and was not renewed; see the log" : "ok"));
        return out;
    }

    private EdgeCa.Issued loadOrCreateCa() {
        if (settings.suppliedCaCert().isPresent()) {
            return new EdgeCa.Issued(Pem.certificate(read(settings.suppliedCaCert().get())),
                    Pem.privateKey(read(settings.suppliedCaKey().orElseThrow())));
        }
        Path cert = settings.dir().resolve("ca.pem");
        Path key = settings.dir().resolve("ca.key");
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            return new EdgeCa.Issued(Pem.certificate(read(cert)), Pem.privateKey(read(key)));
        }
        EdgeCa.Issued ca = edgeCa.createCa(settings.caName(), settings.caValidity());
        write("ca.key", Pem.write(ca.key()), true);
        write("ca.pem", Pem.write(ca.certificate()), false);
        LOG.info("edge-ca-created subject=\"{}\" notAfter={}", ca.certificate().getSubjectX500Principal().getName(),
                ca.certificate().getNotAfter().toInstant());
        return ca;
    }

    private void loadServer() {
        Path cert = settings.dir().resolve("server.pem");
        Path key = settings.dir().resolve("server.key");
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            State s = state;
            state = new State(s.ca(), s.caKey(), Pem.certificate(read(cert)), Pem.privateKey(read(key)));
        }
        write("trust-bundle.pem", trustBundlePem(), false);
    }

    private static List<String> names(X509Certificate cert) {
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            return sans == null ? List.of() : sans.stream().map(san -> String.valueOf(san.get(1))).toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
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
            throw new OutpostException(SecurityErrorCode.CRYPTO_FAILED, "cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(Objects.requireNonNull(path), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new OutpostException(SecurityErrorCode.CRYPTO_FAILED, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
