package io.outpost.security;

import java.util.Map;
import java.util.Objects;

/**
 * The environment and mount a module container gets: {@code IOTEDGE_*} variables, and the host path of its
 * workload socket with the path it has inside the container ({@code IOTEDGE_WORKLOADURI} points there).
 */
public record ModuleEnvironment(Map<String, String> env, String hostSocketPath, String containerSocketPath) {

    /** Where the workload socket appears inside a module container, as in Azure IoT Edge. */
    public static final String CONTAINER_SOCKET = "/var/run/iotedge/workload.sock";

    public ModuleEnvironment {
        env = Map.copyOf(env);
        Objects.requireNonNull(hostSocketPath, "hostSocketPath");
        Objects.requireNonNull(containerSocketPath, "containerSocketPath");
    }

    /**
     * The Docker bind that mounts the folder of the socket, {@code <host folder>:/var/run/iotedge}: a socket
     * served again after a restart of the runtime appears in the running container.
     */
    public String bind() {
        return parent(hostSocketPath) + ":" + parent(containerSocketPath);
    }

    private static String parent(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }
}
