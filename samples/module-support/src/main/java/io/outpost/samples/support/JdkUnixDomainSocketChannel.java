package io.outpost.samples.support;

import com.microsoft.azure.sdk.iot.device.hsm.UnixDomainSocketChannel;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The unix-socket channel Azure's Java SDK asks for when {@code IOTEDGE_WORKLOADURI} is a {@code unix://} address,
 * written on JDK 16+ unix-domain {@link SocketChannel}s (no native library). The SDK opens one channel per workload
 * request (sign, trust bundle), writes the whole HTTP request with {@code Connection: close}, reads until end of
 * stream, then closes; one instance serves those calls one after the other.
 */
public final class JdkUnixDomainSocketChannel implements UnixDomainSocketChannel {

    private SocketChannel channel;

    @Override
    public synchronized void open(String address) throws IOException {
        if (address == null || address.isBlank()) {
            throw new IOException("workload socket address is empty; IOTEDGE_WORKLOADURI must be unix:///<path>");
        }
        close();
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(address));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw new IOException("cannot connect to the workload socket " + address + ": " + e.getMessage(), e);
        }
        channel = ch;
    }

    @Override
    public synchronized void write(byte[] output) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(output);
        while (buffer.hasRemaining()) {
            openChannel().write(buffer);
        }
    }

    /** Blocks until some bytes arrive; -1 at end of stream, as the SDK expects after the server's response. */
    @Override
    public synchronized int read(byte[] inputBuffer) throws IOException {
        if (inputBuffer.length == 0) {
            return 0;
        }
        return openChannel().read(ByteBuffer.wrap(inputBuffer));
    }

    @Override
    public synchronized void close() throws IOException {
        SocketChannel ch = channel;
        channel = null;
        if (ch != null) {
            ch.close();
        }
    }

    private SocketChannel openChannel() throws IOException {
        if (channel == null) {
            throw new IOException("the workload socket channel is not open");
        }
        return channel;
    }
}
