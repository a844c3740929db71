package io.outpost.agent.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A unix-socket relay in front of the Docker engine's socket, for tests: every connection made to
 * {@link #path()} is relayed byte for byte to the engine, and {@link #cut()} closes every open connection, as
 * an engine that goes away does, while new connections are still accepted.
 */
final class SocketRelay implements AutoCloseable {

    private final Path path;
    private final Path target;
    private final ServerSocketChannel server;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SocketRelay(Path path, Path target) throws IOException {
        this.path = path;
        this.target = target;
        Files.deleteIfExists(path);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        this.acceptor = new Thread(this::accept, "socket-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Path path() {
        return path;
    }

    /** Closes every connection open now, both sides. */
    void cut() {
        List<SocketChannel> now = List.copyOf(open);
        open.removeAll(now);
        now.forEach(SocketRelay::quietClose);
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(target));
                open.add(client);
                open.add(engine);
                pump(client, engine);
                pump(engine, client);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(SocketChannel from, SocketChannel to) {
        Thread t = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // the other side or cut() closed the connection
            }
            quietClose(from);
            quietClose(to);
        }, "socket-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void quietClose(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
        Files.deleteIfExists(path);
    }
}
