package io.outpost.cloud.shell;

import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.FleetDeploymentService;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes deployment ids. */
@Service
public class DeploymentCompleter implements Completer {

    @Reference
    FleetDeploymentService deployments;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        deployments.list().stream().map(FleetDeployment::id).forEach(ids.getStrings()::add);
        return ids.complete(session, commandLine, candidates);
    }
}
