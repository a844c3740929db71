package io.outpost.iothub.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.outpost.common.RateLimitedLog;
import io.outpost.iothub.ClientIdentity;
import io.outpost.iothub.ConnectedClient;
import io.outpost.iothub.DialectException;
import io.outpost.iothub.DialectHost;
import io.outpost.iothub.DialectSettings;
import io.outpost.iothub.IotHubTopics;
import io.outpost.iothub.IotMessage;
import io.outpost.iothub.MethodResult;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialect server's network side: Netty listeners (TLS and optionally plain text on loopback), the TLS context
 * (reloaded when the certificate changes), and the registry of authenticated connections by identity, through
 * which the host's deliveries find their connection.
 */
public final class Server implements AutoCloseable {

    static final long REFUSAL_LOG_PERIOD_SECONDS = 60;
    static final String DECODER = "decoder";
    static final int MAX_CLIENT_ID_LENGTH = 256;
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    final DialectSettings settings;
    final DialectHost host;
    final Clock clock;
    final RateLimitedLog refusals = new RateLimitedLog(REFUSAL_LOG_PERIOD_SECONDS, TimeUnit.SECONDS);
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final List<Channel> listeners = new ArrayList<>();
    private final ConcurrentMap<String, Connection> byIdentity = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    /** Open connections by remote address ({@link #addressKey}); an entry goes when its count reaches 0. */
    private final ConcurrentMap<String, Integer> perAddress = new ConcurrentHashMap<>();
    /** Connections that have not been accepted with CONNACK yet (awaiting CONNECT or authentication). */
    private final AtomicInteger unauthenticated = new AtomicInteger();
    /** CONNECTs whose authentication by the host is under way. */
    private final AtomicInteger authenticating = new AtomicInteger();
    private final AtomicReference<Tls> tls = new AtomicReference<>();
    private int tlsPort;
    private int plainPort;

    /** The TLS context and the leaf certificate it serves (to notice a renewal). */
    private record Tls(SslContext context, byte[] leaf) {
    }

    private Server(DialectSettings settings, DialectHost host, Clock clock) {
        this.settings = settings;
        this.host = host;
        this.clock = clock;
        this.boss = new NioEventLoopGroup(1, EventLoopThreads.named("outpost-iothub-accept"));
        this.workers = new NioEventLoopGroup(settings.ioThreads(), EventLoopThreads.named("outpost-iothub-io"));
    }

    public static Server start(DialectSettings settings, DialectHost host, Clock clock) throws Exception {
        Server server = new Server(settings, host, clock);
        try {
            if (settings.tlsPort() != 0) {
                server.tls.set(server.loadTls());
                server.tlsPort = server.bind(settings.host(), settings.tlsPort(), true);
                long check = settings.certificateCheckInterval().toMillis();
                server.workers.scheduleWithFixedDelay(server::checkCertificate, check, check, TimeUnit.MILLISECONDS);
            }
            if (settings.plainPort() != 0) {
                server.plainPort = server.bind(DialectSettings.LOOPBACK, settings.plainPort(), false);
            }
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    public int tlsPort() {
        return tlsPort;
    }

    public int plainPort() {
        return plainPort;
    }

    private int bind(String address, int port, boolean useTls) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(64 * 1024, Math.max(128 * 1024, 2 * settings.maxPacketBytes())))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        init(ch, useTls);
                    }
                });
        Channel channel = bootstrap.bind(address, port).sync().channel();
        listeners.add(channel);
        int bound = ((InetSocketAddress) channel.localAddress()).getPort();
        LOG.info("iothub-listener-started host={} port={} tls={}", address, bound, useTls);
        return bound;
    }

    private void init(SocketChannel ch, boolean useTls) {
        if (open.incrementAndGet() > settings.maxConnections()) {
            open.decrementAndGet();
            refusals.log("max-connections", System.nanoTime(), suppressed -> LOG.warn(
                    "iothub-connection-refused remote={} reason=max-connections max={} suppressedSinceLast={}",
                    ch.remoteAddress(), settings.maxConnections(), suppressed));
            ch.close();
            return;
        }
        String address = addressKey(ch.remoteAddress());
        if (perAddress.merge(address, 1, Integer::sum) > settings.maxConnectionsPerAddress()) {
            release(address);
            open.decrementAndGet();
            refusals.log("per-address " + address, System.nanoTime(), suppressed -> LOG.warn(
                    "iothub-connection-refused remote={} reason=max-connections-per-address max={} "
                            + "suppressedSinceLast={}", address, settings.maxConnectionsPerAddress(), suppressed));
            ch.close();
            return;
        }
        Duration deadline = settings.connectTimeout(unauthenticated.getAndIncrement());
        Connection connection = new Connection(this, ch, useTls, deadline);
        ch.closeFuture().addListener(f -> {
            connection.leaveUnauthenticated();
            release(address);
            open.decrementAndGet();
        });
        ChannelPipeline pipeline = ch.pipeline();
        if (useTls) {
            SSLEngine engine = tls.get().context().newEngine(ch.alloc());
            SslHandler ssl = new SslHandler(engine);
            ssl.setHandshakeTimeoutMillis(deadline.toMillis());
            pipeline.addLast("tls", ssl);
        }
        // flushes of packets written one by one (deliveries hop onto the event loop one at a time, PUBACKs follow
        // each read) go out together: one system call and, with TLS, fewer records for a burst of them
        pipeline.addLast("flush", new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        pipeline.addLast(DECODER, new MqttDecoder(Math.min(settings.maxConnectPacketBytes(),
                settings.maxPacketBytes()), MAX_CLIENT_ID_LENGTH));
        pipeline.addLast("encoder", MqttEncoder.INSTANCE);
        pipeline.addLast("dialect", connection);
    }

    /** The decoder for an accepted client: packets up to {@code maxPacketBytes} from now on. */
    MqttDecoder acceptedDecoder() {
        return new MqttDecoder(settings.maxPacketBytes(), MAX_CLIENT_ID_LENGTH);
    }

    private void release(String address) {
        perAddress.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** A connection left the unauthenticated ones (accepted, refused or closed); called once per connection. */
    void leftUnauthenticated() {
        unauthenticated.decrementAndGet();
    }

    /** Takes a slot for an authentication by the host; false when {@code maxPendingAuthentications} are taken. */
    boolean beginAuthentication() {
        if (authenticating.incrementAndGet() > settings.maxPendingAuthentications()) {
            authenticating.decrementAndGet();
            return false;
        }
        return true;
    }

    void endAuthentication() {
        authenticating.decrementAndGet();
    }

    /**
     * What connections are counted by for {@code maxConnectionsPerAddress}: an IPv4 address, or an IPv6
     * address's /64 prefix (one host usually holds a whole /64).
     */
    static String addressKey(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return String.valueOf(remote);
        }
        InetAddress address = inet.getAddress();
        if (address instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException e) {
                return address.getHostAddress();
            }
        }
        return address.getHostAddress();
    }

    /** Asks for the server certificate again and switches new connections to it if it changed. */
    public void reloadCertificate() throws Exception {
        if (settings.tlsPort() == 0) {
            return;
        }
        Tls fresh = loadTls();
        Tls current = tls.get();
        if (current == null || !Arrays.equals(current.leaf(), fresh.leaf())) {
            tls.set(fresh);
            LOG.info("iothub-certificate-loaded");
        }
    }

    private void checkCertificate() {
        try {
            reloadCertificate();
        } catch (Exception e) {
            LOG.warn("iothub-certificate-reload-failed error=\"{}\"", e.getMessage());
        }
    }

    private Tls loadTls() throws Exception {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        char[] password = Base64.getEncoder().encodeToString(random).toCharArray();
        KeyStore keyStore = settings.serverKeyStore().orElseThrow().apply(password);
        byte[] leaf = null;
        for (String alias : Collections.list(keyStore.aliases())) {
            if (keyStore.isKeyEntry(alias)) {
                Certificate[] chain = keyStore.getCertificateChain(alias);
                if (chain != null && chain.length > 0) {
                    leaf = chain[0].getEncoded();
                    break;
                }
            }
        }
        if (leaf == null) {
            throw new IllegalArgumentException("serverKeyStore holds no key entry with a certificate chain");
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, password);
        SslContext context = SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .clientAuth(ClientAuth.OPTIONAL).trustManager(new AnyClientCertificate()).build();
        return new Tls(context, leaf);
    }

    /**
     * Accepts any client certificate chain during the handshake (TLS still proves the client holds the leaf's
     * key): whether it is trusted is the host's decision at CONNECT, with the identity in hand.
     */
    private static final class AnyClientCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            requireChain(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            requireChain(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            requireChain(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws
                java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("a server never checks server certificates");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws
                java.security.cert.CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws
                java.security.cert.CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }

        private static void requireChain(X509Certificate[] chain) {
            if (chain == null || chain.length == 0) {
                throw new IllegalArgumentException("empty client certificate chain");
            }
        }
    }

    // ---- the registry of authenticated connections

    /** Registers a newly authenticated connection; an earlier one of the same identity is closed (take-over). */
    void register(Connection connection) {
        Connection previous = byIdentity.put(connection.identity().name(), connection);
        if (previous != null && previous != connection) {
            LOG.info("iothub-client-taken-over client={} remote={}", connection.identity(), previous.remote());
            previous.closeTakenOver();
        }
    }

    void unregister(Connection connection) {
        byIdentity.remove(connection.identity().name(), connection);
    }

    public List<ConnectedClient> clients() {
        return byIdentity.values().stream().map(Connection::describe)
                .sorted(Comparator.comparing(c -> c.identity().name())).toList();
    }

    public boolean disconnect(ClientIdentity identity) {
        Connection c = byIdentity.get(identity.name());
        if (c == null) {
            return false;
        }
        c.closeBy("disconnected-by-host");
        return true;
    }

    public CompletionStage<Void> deliverInput(ClientIdentity module, String input, IotMessage message) {
        if (!module.isModule()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("inputs are delivered to modules: "
                    + module));
        }
        if (input == null || input.isEmpty() || input.contains("/") || input.contains("#") || input.contains("+")) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "input must be a non-empty name without '/', '#' or '+': " + input));
        }
        String topic = IotHubTopics.moduleInput(module.deviceId(), module.moduleId().get(), input,
                PropertyBag.encode(message));
        return deliver(module, topic, message);
    }

    public CompletionStage<Void> deliverC2D(String deviceId, IotMessage message) {
        ClientIdentity device = ClientIdentity.device(deviceId);
        return deliver(device, IotHubTopics.deviceBound(deviceId, PropertyBag.encode(message)), message);
    }

    private CompletionStage<Void> deliver(ClientIdentity target, String topic, IotMessage message) {
        Connection c = byIdentity.get(target.name());
        if (c == null) {
            return CompletableFuture.failedFuture(new DialectException(DialectException.NOT_CONNECTED,
                    target + " is not connected"));
        }
        return c.deliver(topic, message.body());
    }

    public CompletionStage<Void> pushDesired(ClientIdentity target, long version, String patchJson) {
        Connection c = byIdentity.get(target.name());
        if (c == null) {
            return CompletableFuture.failedFuture(new DialectException(DialectException.NOT_CONNECTED,
                    target + " is not connected"));
        }
        return c.pushDesired(version, patchJson);
    }

    public CompletionStage<MethodResult> invokeMethod(ClientIdentity target, String method, byte[] payload,
            Duration timeout) {
        if (method == null || method.isEmpty() || method.contains("/") || method.contains("#")
                || method.contains("+") || method.contains("?")) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "method name must be non-empty without '/', '?', '#' or '+': " + method));
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("timeout must be positive: "
                    + timeout));
        }
        Connection c = byIdentity.get(target.name());
        if (c == null) {
            return CompletableFuture.completedFuture(MethodResult.error(MethodResult.NOT_CONNECTED,
                    target + " is not connected"));
        }
        return c.invokeMethod(method, payload.clone(), timeout);
    }

    @Override
    public void close() {
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        listeners.clear();
        for (Connection c : new ArrayList<>(byIdentity.values())) {
            c.closeBy("server-stopped");
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        LOG.info("iothub-listeners-stopped");
    }
}
