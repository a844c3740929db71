package io.outpost.cloud.link.internal;

import io.outpost.security.CloudCertificate;
import io.outpost.security.DeviceCertificates.DeviceCertificate;
import java.security.cert.X509Certificate;

/** The link's device certificate as a service ({@code auth = x509}), read from its file on every call. */
final class LinkCertificate implements CloudCertificate {

    private final ClientCertificate files;
    private final String deviceId;

    LinkCertificate(ClientCertificate files, String deviceId) {
        this.files = files;
        this.deviceId = deviceId;
    }

    /**
     * @throws IllegalArgumentException when the files cannot be used (the message names the setting)
     */
    @Override
    public Details details() {
        DeviceCertificate c = files.load(deviceId);
        X509Certificate leaf = c.leaf();
        return new Details(deviceId, files.certificate(), leaf.getSubjectX500Principal().getName(),
                leaf.getIssuerX500Principal().getName(),
                leaf.getIssuerX500Principal().equals(leaf.getSubjectX500Principal()), leaf.getNotAfter().toInstant(),
                c.sha256Thumbprint(), c.sha1Thumbprint());
    }
}
