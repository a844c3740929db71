package io.outpost.shell.security;

import io.outpost.security.CertificateService;
import io.outpost.security.CertificateStatus;
import java.time.Duration;
import java.time.Instant;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code edge:cert-list}: the edge CA and the hub's certificate, their expiry and whether they need attention. */
@Service
@Command(scope = "edge", name = "cert-list", description = "Lists the edge CA and the hub's TLS certificate: subject, "
        + "expiry, status")
public class CertListCommand implements Action {

    @Option(name = "--trust-bundle", description = "Print the trust bundle (PEM) that modules and leaf devices use "
            + "to trust the hub")
    boolean trustBundle;

    @Reference
    CertificateService certificates;

    @Override
    public Object execute() {
        if (trustBundle) {
            System.out.print(certificates.trustBundlePem());
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Certificate");
        table.column("Subject");
        table.column("Expires");
        table.column("Days left").alignRight();
        table.column("Status");
        Instant now = Instant.now();
        for (CertificateStatus s : certificates.status()) {
            table.addRow().addContent(s.name(), s.subject(), s.notAfter().toString(),
                    Duration.between(now, s.notAfter()).toDays(), s.expiringSoon() ? "EXPIRING: " + s.message() : "ok");
        }
        table.print(System.out);
        return null;
    }
}
