package io.outpost.agent.internal;

import io.outpost.deployment.DeploymentService;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.DesiredState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A desired-state source: the deployment manifest in {@code etc/deployment.json}, watched, and applied when
 * its content changes (versioned by content, so an unchanged file is never applied twice).
 */
@Component(configurationPid = "io.outpost.agent.file", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DeploymentFileSource.Config.class)
public class DeploymentFileSource {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentFileSource.class);

    @ObjectClassDefinition(name = "Outpost deployment file", description = "Applies a manifest file when it changes")
    public @interface Config {
        @AttributeDefinition(description = "The manifest file; empty: ${karaf.etc}/deployment.json")
        String file() default "";

        @AttributeDefinition(description = "Seconds between checks of the file")
        int pollSecs() default 2;
    }

    private final DeploymentService deployments;
    private final Path file;
    private final ScheduledExecutorService poller;
    private byte[] lastApplied = new byte[0];

    @Activate
    public DeploymentFileSource(Config config, @Reference DeploymentService deployments) {
        if (config.pollSecs() < 1) {
            throw new IllegalArgumentException("pollSecs must be at least 1: " + config.pollSecs());
        }
        this.deployments = deployments;
        this.file = config.file().isBlank() ? Path.of(System.getProperty("karaf.etc", "etc"), "deployment.json")
                : Path.of(config.file());
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outpost-deployment-file");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::check, 0, config.pollSecs(), TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        poller.shutdownNow();
    }

    private void check() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            byte[] content = Files.readAllBytes(file);
            if (Arrays.equals(content, lastApplied)) {
                return;
            }
            lastApplied = content;
            DeploymentStatus status = deployments.apply(DesiredState.ofContent(content, "file:" + file));
            LOG.info("deployment-file-applied file={} version={} code={}", file, status.lastDesiredVersion(),
                    status.code());
        } catch (IOException | RuntimeException e) {
            LOG.warn("deployment-file-unreadable file={} error=\"{}\"", file, e.getMessage());
        }
    }
}
