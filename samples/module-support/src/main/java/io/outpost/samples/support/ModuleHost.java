package io.outpost.samples.support;

import com.microsoft.azure.sdk.iot.device.ConnectionStatusChangeContext;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubConnectionStatusChangeReason;
import com.microsoft.azure.sdk.iot.device.IotHubStatusCode;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.MessageSentCallback;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.exceptions.IotHubClientException;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a sample module the way a module of Azure IoT Edge starts: {@link ModuleClient#createFromEnvironment} with
 * the {@code IOTEDGE_*} variables the runtime sets and the workload socket it mounts, over MQTT. Until the hub
 * answers, it tries again with a doubling pause (1 s up to 30 s), so a module may start before the hub.
 *
 * <p>Once connected it watches the client: when the connection is lost and the SDK has not got it back within half
 * of {@value #RECONNECT_VARIABLE} seconds, when the SDK gives up ({@code DISCONNECTED}), when the client turns out
 * closed, or after {@value #MAX_SEND_FAILURES} failed sends in a row, it closes the client and creates a new one
 * from the environment (the runtime serves the workload socket again at the same path after its restart, and the
 * new client signs its tokens through it). If no client connects within {@value #RECONNECT_VARIABLE} seconds of
 * the loss, the process exits with status 1, so that the runtime restarts the module per its restart policy.
 */
public final class ModuleHost {

    /** Environment variable: seconds from losing the hub to exiting; default {@value #DEFAULT_RECONNECT_SECONDS}. */
    public static final String RECONNECT_VARIABLE = "ReconnectTimeoutSecs";
    static final int TWIN_TIMEOUT_MILLIS = 10_000;
    static final int TWIN_ATTEMPTS = 3;
    static final int DEFAULT_RECONNECT_SECONDS = 60;
    static final int MAX_RECONNECT_SECONDS = 3600;
    static final int MAX_SEND_FAILURES = 5;
    static final int EXIT_DISCONNECTED = 1;
    static final int EXIT_BAD_ENVIRONMENT = 2;

    private static final Logger LOG = LoggerFactory.getLogger(ModuleHost.class);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);
    private static final Duration MAX_RECONNECT_PAUSE = Duration.ofSeconds(5);

    private final Consumer<ModuleClient> attach;
    private final Duration reconnectTimeout;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "module-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger sendFailures = new AtomicInteger();
    /** Messages dropped since the last (re)connect: only the first one is logged. */
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile ModuleClient client;
    private volatile IotHubConnectionStatus status = IotHubConnectionStatus.CONNECTED;
    private volatile String lostReason = "";
    /** System.nanoTime() when the connection was lost; 0 while connected. */
    private volatile long lostAt;
    private volatile boolean gaveUp;
    private volatile boolean stopping;

    private ModuleHost(Consumer<ModuleClient> attach, Duration reconnectTimeout) {
        this.attach = attach;
        this.reconnectTimeout = reconnectTimeout;
    }

    /**
     * Connects (waiting for the hub as long as it takes), hands the client to {@code attach} to set its callbacks
     * and subscriptions, and watches the connection from then on. After a reconnect, {@code attach} is called again
     * with the new client.
     */
    public static ModuleHost start(Consumer<ModuleClient> attach) throws InterruptedException {
        java.util.Optional<Duration> timeout = reconnectTimeout(System.getenv(RECONNECT_VARIABLE));
        if (timeout.isEmpty()) {
            System.exit(EXIT_BAD_ENVIRONMENT);
        }
        ModuleHost host = new ModuleHost(attach, timeout.get());
        host.use(connect(host::onStatus));
        host.watchdog.scheduleWithFixedDelay(host::check, 1, 1, TimeUnit.SECONDS);
        return host;
    }

    /** The client in use now (a new one after a reconnect). */
    public ModuleClient client() {
        return client;
    }

    /**
     * Sends a message on an output of the module with the current client. Failures are reported to
     * {@code callback} and counted: {@value #MAX_SEND_FAILURES} in a row make the host reconnect. A message sent
     * while the host replaces its client, or to a client the SDK closed, is dropped with a warning.
     */
    public void send(Message message, String output, MessageSentCallback callback) {
        ModuleClient current = client;
        if (current == null) {
            if (dropped.getAndIncrement() == 0) {
                LOG.warn("module-send-dropped output={} reason=\"reconnecting to the hub\" note=\"further drops are"
                        + " counted, not logged\"", output);
            }
            return;
        }
        try {
            current.sendEventAsync(message, (sent, error, ctx) -> {
                if (error == null) {
                    sendFailures.set(0);
                } else {
                    sendFailed(current);
                }
                callback.onMessageSent(sent, error, ctx);
            }, null, output);
        } catch (IllegalStateException closed) {
            // "Cannot send event from a client that is closed": the SDK closed it after giving up
            if (dropped.getAndIncrement() == 0) {
                LOG.warn("module-send-dropped output={} error=\"{}\" note=\"further drops are counted, not logged\"",
                        output, describe(closed));
            }
            lose(current, "client closed: " + describe(closed));
        }
    }

    /** Blocks until the process is asked to stop (SIGTERM from {@code docker stop}, or an exit), then closes. */
    public void runUntilStopped(Runnable onStop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            try {
                closed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "module-shutdown"));
        stopped.await();
        stopping = true;
        try {
            watchdog.shutdownNow();
            onStop.run();
            closeQuietly(client);
            LOG.info("module-stopped module={}", System.getenv("IOTEDGE_MODULEID"));
        } finally {
            closed.countDown();
        }
    }

    private void use(ModuleClient connected) {
        client = connected;
        status = IotHubConnectionStatus.CONNECTED;
        sendFailures.set(0);
        int drops = dropped.getAndSet(0);
        if (drops > 0) {
            LOG.info("module-send-resumed dropped={}", drops);
        }
        lostAt = 0;
        gaveUp = false;
        attach.accept(connected);
    }

    private void onStatus(ConnectionStatusChangeContext change) {
        ModuleClient current = client;
        if (stopping || current == null || change.getCallbackContext() != current) {
            return; // a client being replaced or closed by this host
        }
        IotHubConnectionStatus now = change.getNewStatus();
        status = now;
        if (now == IotHubConnectionStatus.CONNECTED) {
            if (lostAt != 0) {
                LOG.info("module-reconnected by=sdk downMs={}", millisSince(lostAt));
            }
            lostAt = 0;
            gaveUp = false;
            return;
        }
        String cause = change.getCause() == null ? "" : " " + describe(change.getCause());
        if (now == IotHubConnectionStatus.DISCONNECTED) {
            if (change.getNewStatusReason() != IotHubConnectionStatusChangeReason.CLIENT_CLOSE) {
                LOG.warn("module-disconnected status={} reason={} error=\"{}\"", now, change.getNewStatusReason(),
                        cause.strip());
            }
            lose(current, now + " " + change.getNewStatusReason() + cause);
        } else {
            LOG.warn("module-disconnected status={} reason={} error=\"{}\" reconnectTimeoutSecs={}", now,
                    change.getNewStatusReason(), cause.strip(), reconnectTimeout.toSeconds());
            markLost(now + " " + change.getNewStatusReason() + cause);
        }
    }

    private void sendFailed(ModuleClient failing) {
        if (sendFailures.incrementAndGet() >= MAX_SEND_FAILURES) {
            lose(failing, MAX_SEND_FAILURES + " sends failed in a row");
        }
    }

    /** The SDK will not get this client back: the watchdog replaces it. */
    private void lose(ModuleClient lost, String reason) {
        if (lost == client) {
            markLost(reason);
            gaveUp = true;
        }
    }

    private synchronized void markLost(String reason) {
        if (lostAt == 0) {
            lostAt = System.nanoTime();
        }
        lostReason = reason;
    }

    /** Runs every second on the watchdog thread. */
    private void check() {
        try {
            long since = lostAt;
            if (stopping || since == 0) {
                return;
            }
            boolean sdkHadItsTurn = millisSince(since) >= reconnectTimeout.toMillis() / 2;
            if (gaveUp || sdkHadItsTurn) {
                reconnect(since);
            }
        } catch (RuntimeException e) {
            LOG.warn("module-watchdog-failed error=\"{}\"", describe(e));
        }
    }

    private void reconnect(long since) {
        ModuleClient old = client;
        client = null; // status changes of the old client are ignored from now on
        closeQuietly(old);
        long deadline = since + reconnectTimeout.toNanos();
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; !stopping; attempt++) {
            ModuleClient fresh = null;
            try {
                fresh = create(this::onStatus);
                fresh.open(false);
                LOG.info("module-reconnected by=new-client attempt={} downMs={}", attempt, millisSince(since));
                use(fresh);
                return;
            } catch (IotHubClientException | RuntimeException e) {
                closeQuietly(fresh);
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    exit(attempt, since, e);
                    return;
                }
                LOG.warn("module-reconnect-failed attempt={} retryInMs={} leftMs={} error=\"{}{}\"", attempt,
                        Math.min(pause.toMillis(), left), left, missingWorkloadSocket(System.getenv("IOTEDGE_WORKLOADURI")),
                        describe(e));
                try {
                    Thread.sleep(Math.min(pause.toMillis(), left));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(MAX_RECONNECT_PAUSE) > 0 ? MAX_RECONNECT_PAUSE
                        : pause.multipliedBy(2);
            }
        }
    }

    private void exit(int attempts, long since, Exception last) {
        stopping = true;
        LOG.error("module-exiting status={} reason=\"no connection to the hub for {} s ({}); {} new clients failed,"
                + " the last with: {}{}\" hint=\"the runtime restarts the module per its restartPolicy (always or"
                + " on-failure)\"", EXIT_DISCONNECTED, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since),
                lostReason.replace('"', '\''), attempts, missingWorkloadSocket(System.getenv("IOTEDGE_WORKLOADURI")),
                describe(last));
        // from a thread of its own: exit waits for the shutdown hook, which stops this watchdog
        Thread exiting = new Thread(() -> System.exit(EXIT_DISCONNECTED), "module-exit");
        exiting.start();
    }

    /** The module's client, created from the environment and opened; tries until the hub answers. */
    private static ModuleClient connect(Consumer<ConnectionStatusChangeContext> onStatus) throws InterruptedException {
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            ModuleClient client = null;
            try {
                client = create(onStatus);
                client.open(false);
                LOG.info("module-connected device={} module={} attempt={}", System.getenv("IOTEDGE_DEVICEID"),
                        System.getenv("IOTEDGE_MODULEID"), attempt);
                return client;
            } catch (IotHubClientException | RuntimeException e) {
                closeQuietly(client);
                if (e instanceof IllegalStateException missing && missing.getCause() == null) {
                    // a missing IOTEDGE_* variable: trying again will not help
                    LOG.error("module-environment-incomplete error=\"{}\" hint=\"run the module with Outpost (or Azure IoT"
                            + " Edge), which sets the IOTEDGE_* variables and mounts the workload socket\"",
                            missing.getMessage());
                    System.exit(EXIT_BAD_ENVIRONMENT);
                }
                LOG.warn("module-connect-failed attempt={} retryInMs={} error=\"{}{}\"", attempt, pause.toMillis(),
                        missingWorkloadSocket(System.getenv("IOTEDGE_WORKLOADURI")), describe(e));
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private static ModuleClient create(Consumer<ConnectionStatusChangeContext> onStatus) throws IotHubClientException {
        ModuleClient created = ModuleClient.createFromEnvironment(new JdkUnixDomainSocketChannel(),
                IotHubClientProtocol.MQTT);
        // the client itself is the callback context, so that a replaced client's changes can be told apart
        created.setConnectionStatusChangeCallback(onStatus::accept, created);
        return created;
    }

    /**
     * The reconnect timeout from the value of {@value #RECONNECT_VARIABLE}: unset or blank gives the default; a value
     * that is not a whole number of seconds from 2 to {@value #MAX_RECONNECT_SECONDS} is logged (naming the variable)
     * and gives empty.
     */
    static java.util.Optional<Duration> reconnectTimeout(String value) {
        if (value == null || value.isBlank()) {
            return java.util.Optional.of(Duration.ofSeconds(DEFAULT_RECONNECT_SECONDS));
        }
        try {
            int seconds = Integer.parseInt(value.strip());
            if (seconds >= 2 && seconds <= MAX_RECONNECT_SECONDS) {
                return java.util.Optional.of(Duration.ofSeconds(seconds));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.error("module-setting-invalid variable={} value=\"{}\" expected=\"whole seconds from 2 to {}\"",
                RECONNECT_VARIABLE, value.replace('"', '\''), MAX_RECONNECT_SECONDS);
        return java.util.Optional.empty();
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static void closeQuietly(ModuleClient c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (RuntimeException e) {
            LOG.debug("module-client-close-failed error=\"{}\"", describe(e));
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

    /**
     * The module twin, asked again (up to {@value #TWIN_ATTEMPTS} times, {@value #TWIN_TIMEOUT_MILLIS} ms each) when
     * Azure's SDK reports a time-out: the SDK (2.5.0) can lose the answer to a twin request, when its receive thread
     * removes the request's callback before the MQTT thread that received the answer looks it up; the call then
     * waits for its whole time-out although the hub answered at once.
     */
    public static Twin twin(ModuleClient client) throws InterruptedException, IotHubClientException {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.getTwin(TWIN_TIMEOUT_MILLIS);
            } catch (IotHubClientException e) {
                if (e.getStatusCode() != IotHubStatusCode.DEVICE_OPERATION_TIMED_OUT || attempt == TWIN_ATTEMPTS) {
                    throw e;
                }
                LOG.info("twin-request-retried attempt={} error=\"{}\"", attempt, describe(e));
            }
        }
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
