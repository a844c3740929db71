package io.outpost.bench.fleet;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Connections to the cloud's device endpoint (MQTT over TLS), {@code window} attempts at a time: bare TLS
 * handshakes (the connect baseline) and simulated devices ({@link SimDevice}). Every connection gets a TLS context
 * of its own, so no handshake resumes another device's session: each real device is a process of its own.
 */
final class FleetConnector implements AutoCloseable {

    private static final int KEEP_ALIVE_SECS = 120;

    private final InetSocketAddress endpoint;
    private final X509Certificate[] trusted;
    private final int window;
    private final long timeoutMs;
    private final EventLoopGroup group = new NioEventLoopGroup(2);

    FleetConnector(InetSocketAddress endpoint, Path trustBundle, int window, long timeoutMs)
            throws IOException, CertificateException {
        this.endpoint = endpoint;
        this.window = window;
        this.timeoutMs = timeoutMs;
        try (InputStream in = Files.newInputStream(trustBundle)) {
            this.trusted = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> (X509Certificate) c).toArray(X509Certificate[]::new);
        }
    }

    private SslContext tls() {
        try {
            return SslContextBuilder.forClient().trustManager(trusted).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    private Bootstrap bootstrap(Supplier<ChannelHandler> mqtt) {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10000).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler tls = tls().newHandler(ch.alloc(), "127.0.0.1", endpoint.getPort());
                        SSLParameters p = tls.engine().getSSLParameters();
                        p.setEndpointIdentificationAlgorithm("HTTPS");
                        tls.engine().setSSLParameters(p);
                        ch.pipeline().addLast("tls", tls);
                        if (mqtt != null) {
                            ch.pipeline().addLast(new IdleStateHandler(0, KEEP_ALIVE_SECS / 2, 0, TimeUnit.SECONDS),
                                    new MqttDecoder(1024 * 1024), MqttEncoder.INSTANCE, mqtt.get());
                        }
                    }
                });
    }

    /** {@code count} TLS handshakes with the endpoint; each connection is closed once its handshake is done. */
    long handshakes(int count) throws Exception {
        Bootstrap b = bootstrap(null);
        Semaphore permits = new Semaphore(window);
        AtomicInteger failures = new AtomicInteger();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        long t = System.nanoTime();
        for (int i = 0; i < count; i++) {
            permits.acquire();
            CompletableFuture<Void> f = new CompletableFuture<>();
            done.add(f);
            b.connect(endpoint).addListener((ChannelFuture cf) -> {
                if (!cf.isSuccess()) {
                    failures.incrementAndGet();
                    f.complete(null);
                    permits.release();
                    return;
                }
                cf.channel().pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
                    if (!h.isSuccess()) {
                        failures.incrementAndGet();
                    }
                    cf.channel().close();
                    f.complete(null);
                    permits.release();
                });
            });
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(timeoutMs, TimeUnit.MILLISECONDS);
        long elapsed = FleetBench.ms(t);
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " TLS handshakes failed");
        }
        Thread.sleep(1000);
        return elapsed;
    }

    /**
     * Connects each device (id to SAS key), each up to 3 times, and returns the time until all were ready (TLS,
     * CONNECT, SUBSCRIBE and the first twin GET answered); their channels go to {@code channels}.
     */
    long connectAll(Map<String, String> keys, SimDevice.Counters counters, List<Channel> channels) throws Exception {
        Semaphore permits = new Semaphore(window);
        AtomicInteger connected = new AtomicInteger();
        Map<String, String> failures = new ConcurrentHashMap<>();
        List<CompletableFuture<Channel>> all = new ArrayList<>();
        Thread progress = FleetBench.ticker(() -> "connected " + connected.get() + "/" + keys.size());
        long t = System.nanoTime();
        try {
            for (Map.Entry<String, String> device : keys.entrySet()) {
                permits.acquire();
                CompletableFuture<Channel> f = connectOne(device.getKey(), device.getValue(), counters, 3);
                all.add(f);
                f.whenComplete((c, e) -> {
                    if (e == null) {
                        connected.incrementAndGet();
                    } else {
                        failures.put(device.getKey(), String.valueOf(e.getMessage()));
                    }
                    permits.release();
                });
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
        } finally {
            progress.interrupt();
        }
        long elapsed = FleetBench.ms(t);
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " devices did not connect, e.g. "
                    + failures.values().iterator().next());
        }
        for (CompletableFuture<Channel> f : all) {
            channels.add(f.get());
        }
        return elapsed;
    }

    private CompletableFuture<Channel> connectOne(String id, String key, SimDevice.Counters counters, int attempts) {
        SimDevice device = new SimDevice(id, key, KEEP_ALIVE_SECS, counters);
        CompletableFuture<Channel> result = new CompletableFuture<>();
        bootstrap(() -> device).connect(endpoint).addListener((ChannelFuture cf) -> {
            if (!cf.isSuccess()) {
                device.ready.completeExceptionally(cf.cause());
                return;
            }
            Channel ch = cf.channel();
            ch.pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    device.sendConnect(ch.pipeline().context(device));
                } else {
                    device.ready.completeExceptionally(h.cause());
                    ch.close();
                }
            });
            ch.eventLoop().schedule(() -> {
                if (device.ready.completeExceptionally(new IllegalStateException(id + ": not ready after 60 s"))) {
                    ch.close();
                }
            }, 60, TimeUnit.SECONDS);
            device.ready.whenComplete((ok, e) -> {
                if (e == null) {
                    result.complete(ch);
                }
            });
        });
        device.ready.whenComplete((ok, e) -> {
            if (e == null) {
                return;
            }
            if (attempts > 1) {
                group.schedule(() -> connectOne(id, key, counters, attempts - 1).whenComplete((c, e2) -> {
                    if (e2 == null) {
                        result.complete(c);
                    } else {
                        result.completeExceptionally(e2);
                    }
                }), 1, TimeUnit.SECONDS);
            } else {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
