package io.outpost.shell.security;

import io.outpost.security.CloudCertificate;
import java.time.Duration;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code edge:cloud-cert}: the certificate the cloud link authenticates with ({@code auth = x509}) and its
 * thumbprints, which the device is registered with in the cloud.
 */
@Service
@Command(scope = "edge", name = "cloud-cert", description = "Shows the device certificate the cloud link "
        + "authenticates with (auth = x509): subject, expiry and the SHA-256/SHA-1 thumbprints to register in the "
        + "cloud")
public class CloudCertCommand implements Action {

    /** Registered by the cloud link while it runs with auth = x509. */
    @Reference(optional = true)
    CloudCertificate certificate;

    @Override
    public Object execute() {
        if (certificate == null) {
            System.out.println("No cloud link runs with auth = x509 (auth = sas, no connectionString in "
                    + "io.outpost.cloud.link, or its settings were refused: see the log).");
            return null;
        }
        CloudCertificate.Details d = certificate.details();
        System.out.println("Device          : " + d.deviceId());
        System.out.println("File            : " + d.certificateFile());
        System.out.println("Subject         : " + d.subject());
        System.out.println("Issuer          : " + d.issuer() + (d.selfSigned() ? " (self-signed)" : ""));
        System.out.println("Expires         : " + d.notAfter() + " (" + Duration.between(Instant.now(), d.notAfter())
                .toDays() + " days)");
        System.out.println("SHA-256         : " + d.sha256Thumbprint());
        System.out.println("SHA-1           : " + d.sha1Thumbprint());
        System.out.println("Register it in the cloud: cloud:device-add --x509 " + d.sha256Thumbprint() + " "
                + d.deviceId() + " (outpost cloud device-add ..., or REST authentication.type x509)");
        return null;
    }
}
