package io.outpost.shell.edge;

import io.outpost.common.Clock;
import io.outpost.deployment.DeploymentService;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.hub.UpstreamSender;
import io.outpost.hub.UpstreamStatus;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code edge:deployment-status}: the deployment version, its status code and description, and the modules. */
@Service
@Command(scope = "edge", name = "deployment-status", description = "Shows the deployment's version, status and modules")
public class DeploymentStatusCommand implements Action {

    @Reference
    DeploymentService deployments;

    @Reference
    Clock clock;

    /** The cloud link, when one is configured. */
    @Reference(optional = true)
    UpstreamSender upstream;

    @Override
    public Object execute() {
        DeploymentStatus s = deployments.status();
        System.out.println("Desired version : " + s.lastDesiredVersion());
        System.out.println("Running version : " + s.runningVersion().orElse("(none)"));
        System.out.println("Status          : " + s.code() + (s.converged() ? " (converged)" : ""));
        if (!s.description().isEmpty()) {
            System.out.println("Description     : " + s.description().replace("\n", "\n                  "));
        }
        s.appliedAt().ifPresent(t -> System.out.println("Applied at      : " + t));
        System.out.println("Cloud link      : " + (upstream == null ? "not configured" : cloudLink(upstream.status())));
        System.out.println();
        ModuleTable.print(s.modules(), clock.now(), System.out);
        return null;
    }

    static String cloudLink(UpstreamStatus u) {
        return (u.connected() ? "connected" : "OFFLINE") + u.since().map(t -> " since " + t).orElse("") + " ("
                + u.target() + "; offline " + u.offlineTotal().toSeconds() + " s in " + u.outages() + " outages; "
                + u.sent() + " messages sent" + (u.connected() || u.lastError().isEmpty() ? "" : "; " + u.lastError())
                + ")";
    }
}
