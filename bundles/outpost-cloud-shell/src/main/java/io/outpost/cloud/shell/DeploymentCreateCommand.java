package io.outpost.cloud.shell;

import io.outpost.cloud.DeploymentMetrics;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.FleetDeploymentService;
import io.outpost.cloud.TargetConditionException;
import io.outpost.cloud.web.CloudJson;
import io.outpost.cloud.web.FieldException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

/**
 * {@code cloud:deployment-create <file>}: creates a fleet deployment from a JSON file in the REST API's form
 * ({@code id}, {@code content.modulesContent}, {@code targetCondition}, {@code priority}, {@code labels},
 * {@code layered}) or from a deployment manifest ({@code modulesContent} at the top) with the rest as options.
 */
@Service
@Command(scope = "cloud", name = "deployment-create", description = "Creates a fleet deployment from a JSON file")
public class DeploymentCreateCommand implements Action {

    @Argument(index = 0, name = "file", description = "The deployment (or a deployment manifest) as JSON", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--id", description = "The deployment id (overrides the file's)")
    String id;

    @Option(name = "--target-condition", description = "The target condition, e.g. \"tags.site = 'A'\" (overrides the file's)")
    String targetCondition;

    @Option(name = "--priority", description = "Priority, 0 or more (overrides the file's)")
    Integer priority;

    @Option(name = "--layered", description = "A layered deployment, applied on top of the device's base")
    boolean layered;

    @Option(name = "--label", description = "A label key=value (repeatable)", multiValued = true)
    List<String> labels;

    @Reference
    FleetDeploymentService deployments;

    @Override
    public Object execute() {
        Map<String, Object> overrides = new HashMap<>();
        if (id != null) {
            overrides.put("id", id);
        }
        if (targetCondition != null) {
            overrides.put("targetCondition", targetCondition);
        }
        if (priority != null) {
            overrides.put("priority", priority);
        }
        if (layered) {
            overrides.put("layered", true);
        }
        if (labels != null) {
            Map<String, String> l = new TreeMap<>();
            for (String kv : labels) {
                int eq = kv.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--label must read key=value, got '" + kv + "'");
                }
                l.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            overrides.put("labels", l);
        }
        FleetDeployment d;
        try {
            d = CloudJson.createDeployment(deployments, read(Path.of(file)), overrides);
        } catch (TargetConditionException e) {
            throw new IllegalArgumentException("targetCondition: " + e.getMessage(), e);
        } catch (FieldException e) {
            throw new IllegalArgumentException((e.field().isEmpty() ? "" : e.field() + ": ") + e.getMessage(), e);
        }
        DeploymentMetrics m = deployments.metrics(d.id());
        System.out.println("deployment " + d.id() + " created: priority " + d.priority() + (d.layered() ? ", layered" : "")
                + ", targets " + m.targetedCount() + " device(s), applied to " + m.appliedCount());
        return null;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + path.toAbsolutePath(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
