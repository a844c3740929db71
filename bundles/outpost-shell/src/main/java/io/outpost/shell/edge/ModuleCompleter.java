package io.outpost.shell.edge;

import io.outpost.deployment.DeploymentService;
import io.outpost.deployment.ModuleStatus;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes module names of the running deployment. */
@Service
public class ModuleCompleter implements Completer {

    @Reference
    DeploymentService deployments;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        deployments.status().modules().stream().map(ModuleStatus::name).forEach(names.getStrings()::add);
        return names.complete(session, commandLine, candidates);
    }
}
