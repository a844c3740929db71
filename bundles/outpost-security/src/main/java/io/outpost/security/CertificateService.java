package io.outpost.security;

import java.security.KeyStore;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The edge CA and the hub's TLS server certificate it issues. The CA is generated on first start unless the
 * operator supplies one; the server certificate is renewed well before it expires and whenever the configured
 * host names change.
 */
@ProviderType
public interface CertificateService {

    /** The certificates modules and leaf devices trust to reach the hub (PEM). */
    String trustBundlePem();

    /** The current server certificate with its key. */
    ServerCertificate serverCertificate();

    /** The server certificate, its chain and key in a PKCS12 key store under alias {@code server}, for TLS listeners. */
    KeyStore serverKeyStore(char[] password);

    /** Every certificate Outpost relies on, with its expiry and whether it needs attention. */
    List<CertificateStatus> status();
}
