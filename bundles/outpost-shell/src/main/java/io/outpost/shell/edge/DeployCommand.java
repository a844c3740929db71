package io.outpost.shell.edge;

import io.outpost.deployment.DeploymentService;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.DesiredState;
import io.outpost.deployment.ModuleStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

/**
 * {@code edge:deploy <file>}: applies a deployment manifest and shows progress module by module until the
 * deployment converged, failed, was rolled back, or the timeout passed; fails (non-zero exit in scripts)
 * unless it converged.
 */
@Service
@Command(scope = "edge", name = "deploy", description = "Applies a deployment manifest and follows it until it converges")
public class DeployCommand implements Action {

    @Argument(index = 0, name = "file", description = "The deployment manifest (Azure IoT Edge JSON)", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--timeout", description = "Seconds to follow the deployment before giving up (default 300)")
    int timeoutSecs = 300;

    @Option(name = "--no-wait", description = "Apply and return without following progress")
    boolean noWait;

    @Reference
    DeploymentService deployments;

    @Override
    public Object execute() throws InterruptedException {
        if (timeoutSecs < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second: " + timeoutSecs);
        }
        byte[] manifest = read(Path.of(file));
        DeploymentStatus accepted = deployments.apply(DesiredState.ofContent(manifest, "shell"));
        String version = accepted.lastDesiredVersion();
        if (accepted.code() != DeploymentStatus.OK) {
            throw new IllegalStateException("deployment " + version + " refused (" + accepted.code() + "):\n"
                    + accepted.description());
        }
        System.out.println("deployment " + version + " accepted");
        if (noWait) {
            return null;
        }
        follow(version, Duration.ofSeconds(timeoutSecs));
        return null;
    }

    private void follow(String version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> shown = new HashMap<>();
        while (true) {
            DeploymentStatus s = deployments.status();
            for (ModuleStatus m : s.modules()) {
                String line = m.runtimeStatus().wireName() + (m.statusDescription().isEmpty() ? ""
                        : " (" + m.statusDescription() + ")");
                if (!line.equals(shown.put(m.name(), line))) {
                    System.out.println("  " + m.name() + ": " + line);
                }
            }
            if (!s.runningVersion().map(version::equals).orElse(false)) {
                throw new IllegalStateException(s.description().isEmpty()
                        ? "deployment " + version + " is no longer the running deployment" : s.description());
            }
            if (s.converged()) {
                System.out.println("deployment " + version + " converged: " + s.modules().size() + " modules");
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("deployment " + version + " did not converge within "
                        + timeout.toSeconds() + " s" + (s.description().isEmpty() ? "" : ": " + s.description()));
            }
            Thread.sleep(500);
        }
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + path.toAbsolutePath(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
