package io.outpost.agent.internal;

import io.outpost.common.DaemonThreads;
import io.outpost.deployment.DeploymentService;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A desired-state source: the deployment manifest in {@code etc/deployment.json}, watched, and applied when
 * its content changes ({@link DeploymentFileWatch}: an unchanged file is never applied twice, even across restarts).
 */
@Component(configurationPid = "io.outpost.agent.file", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DeploymentFileSource.Config.class)
public class DeploymentFileSource {

    @ObjectClassDefinition(name = "Outpost deployment file", description = "Applies a manifest file when it changes")
    public @interface Config {
        @AttributeDefinition(description = "The manifest file; empty: ${karaf.etc}/deployment.json")
        String file() default "";

        @AttributeDefinition(description = "Seconds between checks of the file")
        int pollSecs() default 2;
    }

    private final DeploymentFileWatch watch;
    private final ScheduledExecutorService poller;

    @Activate
    public DeploymentFileSource(Config config, @Reference DeploymentService deployments) {
        if (config.pollSecs() < 1) {
            throw new IllegalArgumentException("pollSecs must be at least 1: " + config.pollSecs());
        }
        Path file = config.file().isBlank() ? Path.of(System.getProperty("karaf.etc", "etc"), "deployment.json")
                : Path.of(config.file());
        Path marker = Path.of(System.getProperty("karaf.data", "data"), "outpost", "agent", "deployment-file.version");
        this.watch = new DeploymentFileWatch(file, marker, deployments);
        this.poller = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("outpost-deployment-file"));
        poller.scheduleWithFixedDelay(watch::check, 0, config.pollSecs(), TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        poller.shutdownNow();
    }
}
