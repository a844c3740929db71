package io.outpost.agent.internal;

import io.outpost.deployment.DeploymentService;
import io.outpost.deployment.DeploymentStatus;
import io.outpost.deployment.DesiredState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a manifest file when its content changes. The version of the content last applied is kept in a
 * marker file, so that a restart does not apply the same file again over a deployment made since from the
 * shell or the cloud: the file wins only when it is edited.
 */
final class DeploymentFileWatch {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentFileWatch.class);

    private final Path file;
    private final Path marker;
    private final DeploymentService deployments;

    DeploymentFileWatch(Path file, Path marker, DeploymentService deployments) {
        this.file = file;
        this.marker = marker;
        this.deployments = deployments;
    }

    /** Applies the file if it exists and changed since it was last applied; returns whether it applied it. */
    boolean check() {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            DesiredState desired = DesiredState.ofContent(Files.readAllBytes(file), "file:" + file);
            if (Files.isRegularFile(marker)
                    && Files.readString(marker, StandardCharsets.UTF_8).trim().equals(desired.version())) {
                return false;
            }
            DeploymentStatus status = deployments.apply(desired);
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, desired.version() + "\n", StandardCharsets.UTF_8);
            LOG.info("deployment-file-applied file={} version={} code={}", file, desired.version(), status.code());
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("deployment-file-unreadable file={} error=\"{}\"", file, e.getMessage());
            return false;
        }
    }
}
