package io.outpost.shell.edge;

import io.outpost.deployment.DeploymentService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code edge:module-restart <module>}: asks the agent to stop and start a module. */
@Service
@Command(scope = "edge", name = "module-restart", description = "Restarts a module (stop, then start)")
public class ModuleRestartCommand implements Action {

    @Argument(index = 0, name = "module", description = "The module to restart", required = true)
    @Completion(ModuleCompleter.class)
    String module;

    @Reference
    DeploymentService deployments;

    @Override
    public Object execute() {
        deployments.restartModule(module);
        System.out.println("restart of " + module + " requested");
        return null;
    }
}
