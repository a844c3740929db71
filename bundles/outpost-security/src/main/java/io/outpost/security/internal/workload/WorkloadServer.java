package io.outpost.security.internal.workload;

import io.outpost.common.DaemonThreads;
import io.outpost.common.RateLimitedLog;
import io.outpost.security.CertificateService;
import io.outpost.security.IdentityService;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the workload API on one unix socket per module ({@code <dir>/<module>/workload.sock}), which the agent mounts
 * into that module's container only: whoever connects to a module's socket is that module. HTTP/1.1 with
 * keep-alive; each connection is served on a thread of a bounded pool.
 *
 * <p>No module can starve the others ({@link WorkloadSettings}): a module's socket holds at most
 * {@code connectionsPerModule} connections, connections wait for a thread in a bounded queue, and a connection that
 * does not send a whole request within {@code readTimeout} (or stays idle that long) is closed. A connection over a
 * limit is answered 503 and closed. Where the sockets may be reached from is {@link WorkloadFolders}' concern.
 */
public final class WorkloadServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadServer.class);

    private static final int MAX_LINGERING = 64;
    private static final long LINGER_MILLIS = 1000;

    private final Path dir;
    private final WorkloadApi api;
    private final WorkloadSettings settings;
    private final ThreadPoolExecutor threads;
    private final ScheduledExecutorService deadlines =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("outpost-workload-deadlines"));
    private final Map<String, ServerSocketChannel> sockets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final RateLimitedLog refusals = new RateLimitedLog(60, TimeUnit.SECONDS);
    private final AtomicInteger lingering = new AtomicInteger();

    public WorkloadServer(Path dir, IdentityService identities, CertificateService certificates) {
        this(dir, identities, certificates, WorkloadSettings.DEFAULTS);
    }

    public WorkloadServer(Path dir, IdentityService identities, CertificateService certificates,
            WorkloadSettings settings) {
        this.dir = dir;
        this.api = new WorkloadApi(identities, certificates);
        this.settings = settings;
        this.threads = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
                settings.queue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(settings.queue()),
                DaemonThreads.named("outpost-workload"));
        threads.allowCoreThreadTimeOut(true);
    }

    /** Opens (or reopens) the socket of a module of the device and returns its path. */
    public synchronized Path open(String deviceId, String module) throws IOException {
        close(module);
        Path path = socketPath(module);
        WorkloadFolders.prepareRoot(dir);
        WorkloadFolders.prepareModule(path.getParent());
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        WorkloadFolders.prepareSocket(path);
        sockets.put(module, server);
        Thread acceptor = new Thread(() -> accept(deviceId, module, server), "outpost-workload-" + module);
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("workload-socket-opened module={} path={}", module, path);
        return path;
    }

    /** Opens the module's socket unless it is served already; returns its path. */
    public synchronized Path ensureOpen(String deviceId, String module) throws IOException {
        return sockets.containsKey(module) ? socketPath(module) : open(deviceId, module);
    }

    /**
     * {@code <dir>/<module>/workload.sock}: one folder per module, mounted as the container's /var/run/iotedge. A
     * module name that is long or holds characters a path should not gets a folder named by its hash instead,
     * so that the path stays within the 108 bytes a unix socket address may have.
     */
    public Path socketPath(String module) {
        String folder = module.matches("[A-Za-z0-9._-]{1,32}") ? module : "m-" + shortHash(module);
        return dir.resolve(folder).resolve("workload.sock");
    }

    /** The longest folder path under which every module's socket address fits in 108 bytes. */
    public static final int MAX_DIR_LENGTH = 107 - "/m-0123456789abcdef/workload.sock".length() - 16;

    private static String shortHash(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /** Closes the module's socket (when the module is removed). */
    public synchronized void close(String module) {
        ServerSocketChannel server = sockets.remove(module);
        if (server != null) {
            try {
                server.close();
                Files.deleteIfExists(socketPath(module));
            } catch (IOException e) {
                LOG.warn("workload-socket-close-failed module={} error={}", module, e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        sockets.keySet().forEach(this::close);
        threads.shutdownNow();
        deadlines.shutdownNow();
    }

    private void accept(String deviceId, String module, ServerSocketChannel server) {
        AtomicInteger open = connections.computeIfAbsent(module, m -> new AtomicInteger());
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("workload-accept-failed module={} error={}", module, e.toString());
                }
                return;
            }
            if (open.incrementAndGet() > settings.connectionsPerModule()) {
                open.decrementAndGet();
                refuse(client, module, "connections-per-module", "module '" + module + "' has "
                        + settings.connectionsPerModule() + " connections open, the most it may have");
                continue;
            }
            try {
                threads.execute(() -> {
                    try {
                        serve(deviceId, module, client);
                    } finally {
                        open.decrementAndGet();
                    }
                });
            } catch (RejectedExecutionException e) {
                open.decrementAndGet();
                refuse(client, module, "queue-full", "the workload API is busy: " + settings.threads()
                        + " connections are being served and " + settings.queue() + " are waiting; retry");
            }
        }
    }

    /**
     * Answers 503 from the accepting thread (the answer fits in the socket's buffer) and ends the output. The
     * connection is closed a moment later, after what the client sent is read and dropped: a unix socket closed
     * with unread data resets the client's connection before it reads the answer. Few refused connections linger
     * at a time; beyond that they are closed at once.
     */
    private void refuse(SocketChannel client, String module, String reason, String message) {
        refusals.log(module + " " + reason, System.nanoTime(), suppressed -> LOG.warn(
                "workload-connection-refused module={} reason={} suppressedSinceLast={}", module, reason, suppressed));
        try {
            client.configureBlocking(false);
            drain(client);
            client.write(ByteBuffer.wrap(HttpResponses.bytes(WorkloadApi.error(503, message), false)));
            client.shutdownOutput();
        } catch (IOException e) {
            LOG.debug("workload-refusal-unsent module={} error={}", module, e.toString());
            drainAndClose(client);
            return;
        }
        if (lingering.incrementAndGet() > MAX_LINGERING) {
            lingering.decrementAndGet();
            drainAndClose(client);
            return;
        }
        try {
            deadlines.schedule(() -> {
                lingering.decrementAndGet();
                drainAndClose(client);
            }, Math.min(LINGER_MILLIS, settings.readTimeout().toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            lingering.decrementAndGet();
            drainAndClose(client);
        }
    }

    private static void drainAndClose(SocketChannel client) {
        try (client) {
            drain(client);
        } catch (IOException e) {
            LOG.debug("workload-refused-connection-closed error={}", e.toString());
        }
    }

    /** Reads and drops what a non-blocking channel has received, up to {@link HttpRequest#MAX_HEAD} + body. */
    private static void drain(SocketChannel client) throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        int total = 0;
        while (total <= HttpRequest.MAX_HEAD + HttpRequest.MAX_BODY) {
            int n = client.read(sink.clear());
            if (n <= 0) {
                return;
            }
            total += n;
        }
    }

    private void serve(String deviceId, String module, SocketChannel client) {
        try (client) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(client), 4096);
            OutputStream out = Channels.newOutputStream(client);
            while (true) {
                WorkloadApi.Response response;
                boolean keepAlive = true;
                // the whole request, and the wait for it, must fit in the read timeout: closing ends a blocked read
                ScheduledFuture<?> deadline = deadlines.schedule(() -> expire(module, client),
                        settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
                try {
                    Optional<HttpRequest> request = HttpRequest.read(in);
                    deadline.cancel(false);
                    if (request.isEmpty()) {
                        return;
                    }
                    response = api.handle(deviceId, module, request.get());
                    keepAlive = !"close".equalsIgnoreCase(request.get().headers().get("Connection"));
                } catch (HttpRequest.BadRequest e) {
                    deadline.cancel(false);
                    response = WorkloadApi.error(e.status, e.getMessage());
                    keepAlive = false;
                }
                write(out, response, keepAlive);
                if (!keepAlive) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.debug("workload-connection-ended module={} error={}", module, e.toString());
        }
    }

    private void expire(String module, SocketChannel client) {
        refusals.log(module + " read-timeout", System.nanoTime(), suppressed -> LOG.warn(
                "workload-connection-timed-out module={} readTimeout={} suppressedSinceLast={}", module,
                settings.readTimeout(), suppressed));
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("workload-close-failed module={} error={}", module, e.toString());
        }
    }

    private static void write(OutputStream out, WorkloadApi.Response r, boolean keepAlive) throws IOException {
        out.write(HttpResponses.bytes(r, keepAlive));
        out.flush();
    }
}
