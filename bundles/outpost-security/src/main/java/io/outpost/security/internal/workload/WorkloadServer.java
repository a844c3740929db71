package io.outpost.security.internal.workload;

import io.outpost.common.DaemonThreads;
import io.outpost.security.CertificateService;
import io.outpost.security.IdentityService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the workload API on one unix socket per module ({@code <dir>/<module>/workload.sock}), which the agent mounts
 * into that module's container only: whoever connects to a module's socket is that module. HTTP/1.1 with
 * keep-alive; each connection is served on a thread of a bounded pool.
 */
public final class WorkloadServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadServer.class);

    private final Path dir;
    private final WorkloadApi api;
    private final ExecutorService threads = Executors.newFixedThreadPool(8, DaemonThreads.named("outpost-workload"));
    private final Map<String, ServerSocketChannel> sockets = new ConcurrentHashMap<>();

    public WorkloadServer(Path dir, IdentityService identities, CertificateService certificates) {
        this.dir = dir;
        this.api = new WorkloadApi(identities, certificates);
    }

    /** Opens (or reopens) the socket of a module of the device and returns its path. */
    public synchronized Path open(String deviceId, String module) throws IOException {
        close(module);
        Path path = socketPath(module);
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        // the module's container may run as any user: the socket itself is its only door
        path.toFile().setWritable(true, false);
        path.toFile().setReadable(true, false);
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
    }

    private void accept(String deviceId, String module, ServerSocketChannel server) {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                threads.execute(() -> serve(deviceId, module, client));
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("workload-accept-failed module={} error={}", module, e.toString());
                }
                return;
            }
        }
    }

    private void serve(String deviceId, String module, SocketChannel client) {
        try (client; InputStream in = Channels.newInputStream(client); OutputStream out = Channels.newOutputStream(client)) {
            while (true) {
                WorkloadApi.Response response;
                boolean keepAlive = true;
                try {
                    Optional<HttpRequest> request = HttpRequest.read(in);
                    if (request.isEmpty()) {
                        return;
                    }
                    response = api.handle(deviceId, module, request.get());
                    keepAlive = !"close".equalsIgnoreCase(request.get().headers().get("Connection"));
                } catch (HttpRequest.BadRequest e) {
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

    private static void write(OutputStream out, WorkloadApi.Response r, boolean keepAlive) throws IOException {
        byte[] body = r.json().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + r.status() + " " + reason(r.status()) + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n" + (keepAlive ? "" : "Connection: close\r\n") + "\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 411 -> "Length Required";
            case 413 -> "Payload Too Large";
            case 431 -> "Request Header Fields Too Large";
            default -> "Internal Server Error";
        };
    }
}
