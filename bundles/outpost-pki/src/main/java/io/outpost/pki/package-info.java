/**
 * Certificates and keys, the same for the edge and the cloud: {@link io.outpost.pki.Pem PEM} encoding and decoding,
 * {@link io.outpost.pki.Thumbprints SHA-1 and SHA-256 thumbprints}, the {@link io.outpost.pki.CertificateChecks
 * checks} on a certificate and its chain (one rule for validity: {@code notBefore <= now <= notAfter}, as
 * {@link java.security.cert.X509Certificate#checkValidity(java.util.Date)}), a {@link io.outpost.pki.CertificateAuthority
 * CA} that issues EC P-256 certificates, a CA and its TLS server certificate kept in a folder
 * ({@link io.outpost.pki.ServerCertificates}), owner-only {@link io.outpost.pki.SecretFiles secret files}, and IoT Hub
 * {@link io.outpost.pki.SasToken SAS tokens} (keys that sign). No OSGi services: a library, used by outpost-security
 * and outpost-cloud-endpoint.
 */
@Export
@Version("1.0.0")
package io.outpost.pki;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
