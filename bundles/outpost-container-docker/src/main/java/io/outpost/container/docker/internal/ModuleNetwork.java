package io.outpost.container.docker.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.outpost.common.OutpostException;
import io.outpost.container.ContainerErrorCode;
import io.outpost.container.ContainerLabels;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network mode given to containers whose createOptions set none ({@code defaultNetworkMode}). The engine's
 * own modes ({@code host}, {@code none}, {@code container:<id>}) and empty (the engine's default) are used as
 * they are. Any other value names a network, such as Azure IoT Edge's {@code azure-iot-edge} bridge or the
 * engine's {@code bridge}: before the first container is created, the network is looked up and, when missing,
 * created once as a bridge network labelled {@code io.outpost.managed=true}. When the engine cannot give it
 * (an engine started with {@code --bridge=none} has no {@code bridge} network, and refuses to create one), the
 * modules fall back to the host's network, with a warning, rather than to no network at all. An engine that
 * does not answer is not a verdict: the next creation tries again.
 */
final class ModuleNetwork {

    static final String FALLBACK = "host";

    private static final Logger LOG = LoggerFactory.getLogger(ModuleNetwork.class);
    private static final Set<String> ENGINE_MODES = Set.of("", "host", "none");

    private final String configured;
    private final DockerClient calls;
    private final DockerErrors errors;
    private volatile String resolved;

    ModuleNetwork(String configured, DockerClient calls, DockerErrors errors) {
        this.configured = configured;
        this.calls = calls;
        this.errors = errors;
        if (ENGINE_MODES.contains(configured) || configured.startsWith("container:")) {
            this.resolved = configured;
        }
    }

    /** The network mode for containers whose createOptions set none; probes the engine on the first call. */
    String mode() {
        String mode = resolved;
        if (mode == null) {
            synchronized (this) {
                if (resolved == null) {
                    resolved = probe();
                }
                mode = resolved;
            }
        }
        return mode;
    }

    private String probe() {
        if (exists()) {
            LOG.info("module-network-ready network={} created=false", configured);
            return configured;
        }
        try {
            BundleContext.call(() -> calls.createNetworkCmd().withName(configured).withDriver("bridge")
                    .withCheckDuplicate(true).withLabels(Map.of(ContainerLabels.MANAGED, "true")).exec());
            LOG.info("module-network-ready network={} created=true driver=bridge", configured);
            return configured;
        } catch (RuntimeException e) {
            OutpostException failure = errors.translate("create network", configured, e, ContainerErrorCode.ENGINE_ERROR);
            if (failure.errorCode() == ContainerErrorCode.ENGINE_UNAVAILABLE
                    || failure.errorCode() == ContainerErrorCode.TIMEOUT) {
                throw failure;
            }
            if (exists()) {
                // created meanwhile by another runtime on the same engine
                return configured;
            }
            LOG.warn("module-network-fallback network={} fallback={} error=\"{}\"", configured, FALLBACK,
                    failure.getMessage());
            return FALLBACK;
        }
    }

    private boolean exists() {
        try {
            BundleContext.call(() -> calls.inspectNetworkCmd().withNetworkId(configured).exec());
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw errors.translate("inspect network", configured, e, ContainerErrorCode.ENGINE_ERROR);
        }
    }
}
