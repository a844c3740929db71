package io.outpost.samples.support;

import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a sample module the way a module of Azure IoT Edge starts: {@link ModuleClient#createFromEnvironment} with
 * the {@code IOTEDGE_*} variables the runtime sets and the workload socket it mounts, over MQTT. Until the hub
 * answers, it tries again with a doubling pause (1 s up to 30 s), so a module may start before the hub.
 */
public final class ModuleHost {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleHost.class);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    private ModuleHost() {
    }

    /** The module's client, created from the environment and opened. */
    public static ModuleClient connect() throws InterruptedException {
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            ModuleClient client = null;
            try {
                client = ModuleClient.createFromEnvironment(new JdkUnixDomainSocketChannel(), IotHubClientProtocol.MQTT);
                client.open(false);
                LOG.info("module-connected device={} module={} attempt={}", System.getenv("IOTEDGE_DEVICEID"),
                        System.getenv("IOTEDGE_MODULEID"), attempt);
                return client;
            } catch (IotHubClientException | RuntimeException e) {
                if (client != null) {
                    client.close();
                }
                if (e instanceof IllegalStateException missing && missing.getCause() == null) {
                    // a missing IOTEDGE_* variable: trying again will not help
                    LOG.error("module-environment-incomplete error=\"{}\" hint=\"run the module with Outpost (or Azure IoT"
                            + " Edge), which sets the IOTEDGE_* variables and mounts the workload socket\"",
                            missing.getMessage());
                    System.exit(2);
                }
                LOG.warn("module-connect-failed attempt={} retryInMs={} error=\"{}{}\"", attempt, pause.toMillis(),
                        missingWorkloadSocket(System.getenv("IOTEDGE_WORKLOADURI")), describe(e));
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    /** Blocks until the process is asked to stop (SIGTERM from {@code docker stop}), then closes the client. */
    public static void runUntilStopped(ModuleClient client, Runnable onStop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "module-shutdown"));
        stopped.await();
        try {
            onStop.run();
            client.close();
            LOG.info("module-stopped module={}", System.getenv("IOTEDGE_MODULEID"));
        } finally {
            closed.countDown();
        }
    }

    /** "workload socket /x does not exist: " when the unix:// workload address names no file, else "". */
    static String missingWorkloadSocket(String workloadUri) {
        if (workloadUri == null || !workloadUri.startsWith("unix://")) {
            return "";
        }
        String path = workloadUri.substring("unix://".length());
        return java.nio.file.Files.exists(java.nio.file.Path.of(path)) ? "" : "workload socket " + path + " does not exist: ";
    }

    /** The message of an exception and of its causes, on one line. */
    public static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 400; t = t.getCause()) {
            if (b.length() > 0) {
                b.append(": ");
            }
            b.append(t.getClass().getSimpleName()).append(' ').append(String.valueOf(t.getMessage()).replace('"', '\''));
        }
        return b.toString();
    }
}
