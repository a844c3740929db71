package io.outpost.security.internal;

import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import io.outpost.pki.CertificateChecks;
import io.outpost.pki.KeyedCertificate;
import io.outpost.pki.Pem;
import io.outpost.pki.ServerCertificates;
import io.outpost.security.CertificateService;
import io.outpost.security.CertificateStatus;
import io.outpost.security.SecurityErrorCode;
import io.outpost.security.ServerCertificate;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge CA and the hub's server certificate ({@link ServerCertificates} in {@code dir}: {@code ca.pem}/{@code
 * ca.key} unless the operator supplies the CA, {@code server.pem} and {@code server.key}, {@code trust-bundle.pem}
 * for modules and leaf devices), as the {@link CertificateService} of the edge, with the certificates' status.
 */
public final class CertificateManager implements CertificateService {

    private final CaSettings settings;
    private final Clock clock;
    private final ServerCertificates certificates;

    CertificateManager(CaSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        try {
            this.certificates = ServerCertificates.open(settings.pki(), clock);
        } catch (OutpostException e) {
            throw new OutpostException(SecurityErrorCode.CRYPTO_FAILED, e.getMessage(), e);
        }
    }

    /** Renews the server certificate when it is missing, near expiry, for other host names or another CA. */
    public boolean renewIfNeeded() {
        return certificates.renewIfNeeded();
    }

    @Override
    public String trustBundlePem() {
        return certificates.trustBundlePem();
    }

    @Override
    public ServerCertificate serverCertificate() {
        KeyedCertificate server = certificates.server();
        X509Certificate c = server.certificate();
        return new ServerCertificate(certificates.serverChainPem(), Pem.encode(server.key()),
                c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), CertificateChecks.subjectAlternativeNames(c));
    }

    @Override
    public KeyStore serverKeyStore(char[] password) {
        try {
            return certificates.serverKeyStore(password);
        } catch (OutpostException e) {
            throw new OutpostException(SecurityErrorCode.CRYPTO_FAILED, e.getMessage(), e);
        }
    }

    @Override
    public List<CertificateStatus> status() {
        X509Certificate ca = certificates.caCertificate();
        X509Certificate server = certificates.server().certificate();
        Instant now = clock.now();
        List<CertificateStatus> out = new ArrayList<>();
        Instant caEnd = ca.getNotAfter().toInstant();
        boolean caSoon = !now.isBefore(caEnd.minus(settings.warnBefore()));
        out.add(new CertificateStatus("edge-ca", ca.getSubjectX500Principal().getName(), caEnd, caSoon,
                caSoon ? "the edge CA expires at " + caEnd + ": supply a new CA (caCertFile, caKeyFile) or remove "
                        + settings.dir().resolve("ca.pem") + " and restart to generate one" : "ok"));
        Instant srvEnd = server.getNotAfter().toInstant();
        boolean srvSoon = !now.isBefore(srvEnd.minus(settings.renewBefore()));
        out.add(new CertificateStatus("hub-server", server.getSubjectX500Principal().getName(), srvEnd, srvSoon,
                srvSoon ? "the hub's certificate expires at " + srvEnd + " and was not renewed; see the log" : "ok"));
        return out;
    }
}
