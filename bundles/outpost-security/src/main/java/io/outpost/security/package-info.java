/**
 * Who may speak to the hub: {@link io.outpost.security.Identity identities} of modules and leaf devices with
 * their symmetric keys, IoT Hub {@link io.outpost.security.SasToken SAS tokens}, and the edge CA
 * ({@link io.outpost.security.CertificateService}) that issues and renews the hub's TLS certificate; the device's
 * own client certificate for the cloud ({@link io.outpost.security.DeviceCertificates},
 * {@link io.outpost.security.CloudCertificate}); the checks on leaf devices' client certificates
 * ({@link io.outpost.security.LeafCertificates}).
 */
@Export
@Version("1.5.0")
package io.outpost.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
