package io.outpost.cloud.shell;

import io.outpost.cloud.DeploymentMetrics;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.FleetDeploymentService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code cloud:deployment-list}: every deployment with its target condition, priority and four counts. */
@Service
@Command(scope = "cloud", name = "deployment-list", description = "Lists fleet deployments with their counts")
public class DeploymentListCommand implements Action {

    @Reference
    FleetDeploymentService deployments;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Deployment");
        table.column("Priority").alignRight();
        table.column("Layered");
        table.column("Targeted").alignRight();
        table.column("Applied").alignRight();
        table.column("Succeeded").alignRight();
        table.column("Failed").alignRight();
        table.column("Target condition").maxSize(60);
        for (FleetDeployment d : deployments.list()) {
            DeploymentMetrics m = deployments.metrics(d.id());
            table.addRow().addContent(d.id(), d.priority(), d.layered() ? "yes" : "no", m.targetedCount(),
                    m.appliedCount(), m.reportedSuccessfulCount(), m.reportedFailedCount(), d.targetCondition());
        }
        table.print(System.out);
        return null;
    }
}
