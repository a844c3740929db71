package io.outpost.cloud.shell;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.DeploymentMetrics;
import io.outpost.cloud.DeviceDeploymentStatus;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.web.CloudJson;
import io.outpost.common.OutpostException;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code cloud:deployment-show <id>}: a deployment, its four counts and each targeted device's status. */
@Service
@Command(scope = "cloud", name = "deployment-show", description = "Shows a fleet deployment, its counts and device statuses")
public class DeploymentShowCommand implements Action {

    @Argument(index = 0, name = "deploymentId", description = "The deployment id", required = true)
    @Completion(DeploymentCompleter.class)
    String id;

    @Option(name = "--content", description = "Also print its modulesContent")
    boolean content;

    @Reference
    FleetDeploymentService deployments;

    @Override
    public Object execute() {
        FleetDeployment d = deployments.get(id).orElseThrow(() ->
                new OutpostException(CloudErrorCode.NOT_FOUND, "no deployment '" + id + "'"));
        DeploymentMetrics m = deployments.metrics(id);
        System.out.println("id:              " + d.id());
        System.out.println("targetCondition: " + d.targetCondition());
        System.out.println("priority:        " + d.priority() + (d.layered() ? " (layered)" : ""));
        System.out.println("labels:          " + d.labels());
        System.out.println("created:         " + d.createdAt());
        System.out.println("targetedCount=" + m.targetedCount() + " appliedCount=" + m.appliedCount()
                + " reportedSuccessfulCount=" + m.reportedSuccessfulCount() + " reportedFailedCount="
                + m.reportedFailedCount());
        ShellTable table = new ShellTable();
        table.column("Device");
        table.column("Status");
        table.column("Detail").maxSize(80);
        for (DeviceDeploymentStatus s : deployments.deviceStatuses(id)) {
            table.addRow().addContent(s.deviceId(), s.state().name().toLowerCase(Locale.ROOT), s.detail());
        }
        table.print(System.out);
        if (content) {
            System.out.println(CloudJson.pretty(d.modulesContent()));
        }
        return null;
    }
}
