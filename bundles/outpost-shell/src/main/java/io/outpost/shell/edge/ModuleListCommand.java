package io.outpost.shell.edge;

import io.outpost.common.Clock;
import io.outpost.deployment.DeploymentService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code edge:module-list}: the modules of the running deployment and their state. */
@Service
@Command(scope = "edge", name = "module-list", description = "Lists the modules and their runtime status")
public class ModuleListCommand implements Action {

    @Reference
    DeploymentService deployments;

    @Reference
    Clock clock;

    @Override
    public Object execute() {
        ModuleTable.print(deployments.status().modules(), clock.now(), System.out);
        return null;
    }
}
