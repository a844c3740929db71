package io.outpost.bench.fleet;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;

/**
 * bench/fleet.sh: N simulated edges ({@link SimDevice}, Netty, one JVM) against one cloud node
 * ({@code BenchCloudNode}, a JVM of its own). Measures, in one run:
 * <ol>
 * <li>the cloud node's RSS with the devices registered and none connected (the memory baseline);</li>
 * <li>N bare TLS handshakes with the endpoint (the connect baseline, after 100 unmeasured ones that warm up both
 * JVMs), then N devices connected: TLS, SAS
 * authentication against the registry, subscriptions and the first twin GET;</li>
 * <li>the RSS idle with N connected;</li>
 * <li>the floor: a plain desired patch of {@code $edgeAgent} on every device (the same module list as the
 * deployment), from the first write until every twin reports {@code lastDesiredVersion} = its desired version;</li>
 * <li>a fleet deployment targeting every device by tag, from its creation until its metrics show
 * {@code reportedSuccessfulCount} = N, with the peak RSS during it.</li>
 * </ol>
 */
public final class FleetBench {

    private static final String PREFIX = "sim-";
    private static final int KEEP_ALIVE_SECS = 120;

    private final int devices;
    private final int window;
    private final long timeoutMs;
    private final Path work;
    private final SimDevice.Counters counters = new SimDevice.Counters();
    private final AtomicLong rssPeakKb = new AtomicLong();
    private Process node;
    private PrintWriter nodeIn;
    private BufferedReader nodeOut;
    private long pid;
    private volatile String cloudProgress = "";

    private FleetBench(int devices, int window, long timeoutMs, Path work) {
        this.devices = devices;
        this.window = window;
        this.timeoutMs = timeoutMs;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        int devices = 1000;
        int window = 50;
        long timeoutSecs = 900;
        String results = null;
        String nodeJavaOpts = "-Xms64m -Xmx512m -XX:+UseSerialGC";
        Path work = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--devices" -> devices = Integer.parseInt(args[++i]);
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--timeout-secs" -> timeoutSecs = Long.parseLong(args[++i]);
                case "--results" -> results = args[++i];
                case "--node-java-opts" -> nodeJavaOpts = args[++i];
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        if (devices < 1 || window < 1 || work == null) {
            throw new IllegalArgumentException("--devices and --window must be at least 1; --work is required");
        }
        FleetBench bench = new FleetBench(devices, window, timeoutSecs * 1000, work);
        int exit;
        try {
            exit = bench.run(nodeJavaOpts, results == null ? null : Path.of(results));
        } finally {
            bench.stopNode();
        }
        System.exit(exit);
    }

    static void say(String text) {
        System.err.println("bench: " + text);
    }

    private int run(String nodeJavaOpts, Path results) throws Exception {
        startNode(nodeJavaOpts);
        String master = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
        long t = System.nanoTime();
        ask("devices " + devices + " " + PREFIX + " " + master + " {\"fleet\":\"bench\"}");
        say("registered " + devices + " devices in " + ms(t) + " ms");
        Thread.sleep(3000);
        long rssEmpty = rssKb("VmRSS");

        // Every connection gets a TLS context of its own, so no handshake resumes another device's session: each
        // real device is a process of its own.
        java.security.cert.X509Certificate[] ca;
        try (java.io.InputStream in = Files.newInputStream(Path.of(trustFile))) {
            ca = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(c -> (java.security.cert.X509Certificate) c)
                    .toArray(java.security.cert.X509Certificate[]::new);
        }
        Supplier<SslContext> ssl = () -> {
            try {
                return SslContextBuilder.forClient().trustManager(ca).build();
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalStateException("cannot build a TLS context", e);
            }
        };
        EventLoopGroup group = new NioEventLoopGroup(2);
        Thread sampler = new Thread(this::sampleRss, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
        try {
            handshakes(group, ssl, Math.min(devices, 100)); // warm-up of both JVMs' TLS code, not measured
            long tlsMs = handshakes(group, ssl, devices);
            say(devices + " TLS handshakes alone: " + tlsMs + " ms");

            List<Channel> channels = new ArrayList<>();
            long connectMs = connectAll(group, ssl, master, channels);
            say(devices + " devices connected in " + connectMs + " ms");
            Thread.sleep(5000);
            long rssIdle = rssKb("VmRSS");
            say("cloud node RSS: " + rssEmpty / 1024 + " MB with no device connected, " + rssIdle / 1024
                    + " MB idle with " + devices + " connected");

            rssPeakKb.set(0);
            long floorMs = round("plain desired patch", () -> {
                ask("patch-all " + PREFIX + " " + devices + " " + agentDesired("sensor:1"));
                return null;
            }, () -> {
                String a = ask("acked " + PREFIX + " " + devices);
                cloudProgress = "acknowledged in the cloud " + value(a, "acked") + "/" + devices;
                return Integer.parseInt(value(a, "acked")) >= devices;
            });
            long rssFloorPeak = rssPeakKb.get();

            Path condition = work.resolve("condition.txt");
            Path content = work.resolve("content.json");
            Files.writeString(condition, "tags.fleet = 'bench'");
            Files.writeString(content, "{\"$edgeAgent\": {\"properties.desired\": " + agentDesired("sensor:2")
                    + "}, \"$edgeHub\": {\"properties.desired\": {\"schemaVersion\": \"1.2\", \"routes\": "
                    + "{\"up\": \"FROM /messages/* INTO $upstream\"}, \"storeAndForwardConfiguration\": "
                    + "{\"timeToLiveSecs\": 7200}}}}");
            rssPeakKb.set(0);
            long deployMs = round("fleet deployment", () -> {
                ask("deploy fleet-bench " + condition + " " + content);
                return null;
            }, () -> {
                String m = ask("metrics fleet-bench");
                cloudProgress = "metrics " + m.substring(3);
                if (!value(m, "failed").equals("0")) {
                    throw new IllegalStateException("devices reported the deployment failed: " + m);
                }
                return Integer.parseInt(value(m, "succeeded")) >= devices;
            });
            long rssPeak = rssPeakKb.get();
            long rssHwm = rssKb("VmHWM");
            if (counters.errors.get() > 0) {
                say("warning: " + counters.errors.get() + " errors on the device side (refused reports or GETs)");
            }

            print(tlsMs, connectMs, rssEmpty, rssIdle, floorMs, deployMs, rssFloorPeak, rssPeak, rssHwm);
            if (results != null) {
                String n = devices + " devices";
                List<String> lines = List.of(
                        result("deploy_all_" + devices, "deployment to " + n + " reported applied", "deploy", "ms",
                                "lower", "plain desired patch to " + n + " acknowledged", floorMs, deployMs),
                        result("connect_" + devices, n + " connected (TLS, SAS, subscribe, twin GET)", "fleet", "ms",
                                "lower", devices + " bare TLS handshakes", tlsMs, connectMs),
                        result("rss_idle_" + devices, "cloud node RSS, " + n + " connected, idle", "memory", "MB",
                                "lower", "cloud node, no device connected", rssEmpty / 1024, rssIdle / 1024),
                        result("rss_peak_" + devices, "cloud node peak RSS during the deployment", "memory", "MB",
                                "lower", "peak during the plain patch", rssFloorPeak / 1024, rssPeak / 1024));
                Files.write(results, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            for (Channel c : channels) {
                c.close();
            }
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        return 0;
    }

    /** The $edgeAgent desired properties of a deployment with one module running {@code image}. */
    private static String agentDesired(String image) {
        return "{\"schemaVersion\":\"1.1\",\"runtime\":{\"type\":\"docker\",\"settings\":{\"minDockerVersion\":\"v1.25\"}},"
                + "\"systemModules\":{\"edgeAgent\":{\"type\":\"docker\",\"settings\":{\"image\":\"outpost/agent:1\","
                + "\"createOptions\":\"{}\"}},\"edgeHub\":{\"type\":\"docker\",\"status\":\"running\",\"restartPolicy\":"
                + "\"always\",\"settings\":{\"image\":\"outpost/hub:1\",\"createOptions\":\"{}\"}}},"
                + "\"modules\":{\"sensor\":{\"version\":\"1.0\",\"type\":\"docker\",\"status\":\"running\","
                + "\"restartPolicy\":\"always\",\"settings\":{\"image\":\"" + image + "\",\"createOptions\":\"{}\"}}}}";
    }

    // ---- the cloud node ----

    private String trustFile;

    private void startNode(String javaOpts) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : javaOpts.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), "io.outpost.cloud.endpoint.internal.BenchCloudNode",
                work.resolve("cloud").toString()));
        Path log = work.resolve("cloud-node.log");
        node = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        nodeIn = new PrintWriter(new java.io.OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8), true);
        nodeOut = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        String ready = nodeOut.readLine();
        if (ready == null || !ready.startsWith("ready ")) {
            throw new IllegalStateException("the cloud node did not start (" + ready + "), see " + log + ":\n"
                    + tail(log));
        }
        pid = Long.parseLong(value(ready, "pid"));
        trustFile = value(ready, "trust");
        endpoint = new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(value(ready, "port")));
        say("cloud node started: pid " + pid + ", endpoint 127.0.0.1:" + value(ready, "port") + ", java " + javaOpts);
    }

    private synchronized String ask(String command) throws IOException {
        nodeIn.println(command);
        String answer = nodeOut.readLine();
        if (answer == null) {
            throw new IllegalStateException("the cloud node exited, see " + work.resolve("cloud-node.log") + ":\n"
                    + tail(work.resolve("cloud-node.log")));
        }
        if (!answer.startsWith("ok")) {
            throw new IllegalStateException("cloud node: " + command.split(" ")[0] + ": " + answer);
        }
        return answer;
    }

    private void stopNode() {
        if (node == null) {
            return;
        }
        try {
            nodeIn.println("quit");
            if (!node.waitFor(20, TimeUnit.SECONDS)) {
                node.destroy();
                node.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (node.isAlive()) {
                node.destroyForcibly();
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static String value(String line, String key) {
        for (String part : line.split(" ")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException("no " + key + " in: " + line);
    }

    // ---- memory ----

    private long rssKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private void sampleRss() {
        while (true) {
            long kb = rssKb("VmRSS");
            rssPeakKb.accumulateAndGet(kb, Math::max);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    // ---- connections ----

    private Bootstrap bootstrap(EventLoopGroup group, Supplier<SslContext> ssl, Supplier<io.netty.channel.ChannelHandler> last,
            boolean mqtt) {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10000).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler tls = ssl.get().newHandler(ch.alloc(), "127.0.0.1", endpoint.getPort());
                        SSLParameters p = tls.engine().getSSLParameters();
                        p.setEndpointIdentificationAlgorithm("HTTPS");
                        tls.engine().setSSLParameters(p);
                        ch.pipeline().addLast("tls", tls);
                        if (mqtt) {
                            ch.pipeline().addLast(new IdleStateHandler(0, KEEP_ALIVE_SECS / 2, 0, TimeUnit.SECONDS),
                                    new MqttDecoder(1024 * 1024), MqttEncoder.INSTANCE, last.get());
                        }
                    }
                });
    }

    /** N TLS handshakes with the endpoint, W at a time; each connection is closed once the handshake is done. */
    private long handshakes(EventLoopGroup group, Supplier<SslContext> ssl, int count) throws Exception {
        Bootstrap b = bootstrap(group, ssl, null, false);
        Semaphore permits = new Semaphore(window);
        AtomicInteger failures = new AtomicInteger();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        long t = System.nanoTime();
        for (int i = 0; i < count; i++) {
            permits.acquire();
            CompletableFuture<Void> f = new CompletableFuture<>();
            done.add(f);
            b.connect(endpoint()).addListener((ChannelFuture cf) -> {
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
        long elapsed = ms(t);
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " TLS handshakes failed");
        }
        Thread.sleep(1000);
        return elapsed;
    }

    private java.net.InetSocketAddress endpoint;

    private java.net.InetSocketAddress endpoint() {
        return endpoint;
    }

    /** Connects every device, W connection attempts at a time, each up to 3 times. */
    private long connectAll(EventLoopGroup group, Supplier<SslContext> ssl, String master, List<Channel> channels)
            throws Exception {
        Semaphore permits = new Semaphore(window);
        AtomicInteger connected = new AtomicInteger();
        Map<Integer, String> failures = new java.util.concurrent.ConcurrentHashMap<>();
        List<CompletableFuture<Channel>> all = new ArrayList<>();
        Thread progress = ticker(() -> "connected " + connected.get() + "/" + devices);
        long t = System.nanoTime();
        try {
            for (int i = 1; i <= devices; i++) {
                permits.acquire();
                String id = FleetKeys.deviceId(PREFIX, i);
                CompletableFuture<Channel> f = connectOne(group, ssl, id, FleetKeys.deviceKey(master, id), 3);
                all.add(f);
                int n = i;
                f.whenComplete((c, e) -> {
                    if (e == null) {
                        connected.incrementAndGet();
                    } else {
                        failures.put(n, e.getMessage());
                    }
                    permits.release();
                });
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null)
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
        } finally {
            progress.interrupt();
        }
        long elapsed = ms(t);
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " devices did not connect, e.g. "
                    + failures.values().iterator().next());
        }
        for (CompletableFuture<Channel> f : all) {
            channels.add(f.get());
        }
        return elapsed;
    }

    private CompletableFuture<Channel> connectOne(EventLoopGroup group, Supplier<SslContext> ssl, String id, String key,
            int attempts) {
        SimDevice device = new SimDevice(id, key, KEEP_ALIVE_SECS, counters);
        CompletableFuture<Channel> result = new CompletableFuture<>();
        bootstrap(group, ssl, () -> device, true).connect(endpoint()).addListener((ChannelFuture cf) -> {
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
            if (e != null) {
                if (attempts > 1) {
                    group.schedule(() -> connectOne(group, ssl, id, key, attempts - 1).whenComplete((c, e2) -> {
                        if (e2 == null) {
                            result.complete(c);
                        } else {
                            result.completeExceptionally(e2);
                        }
                    }), 1, TimeUnit.SECONDS);
                } else {
                    result.completeExceptionally(e);
                }
            }
        });
        return result;
    }

    // ---- rounds ----

    interface Step {
        Void run() throws Exception;
    }

    interface Check {
        boolean done() throws Exception;
    }

    /** Times {@code start} until {@code done}, polled every 250 ms (each poll is a store query in the node). */
    private long round(String name, Step start, Check done) throws Exception {
        long pushes = counters.pushes.get();
        long sent = counters.reportsSent.get();
        long acked = counters.reportsAcked.get();
        cloudProgress = "";
        say(name + ": starting");
        Thread progress = ticker(() -> name + ": pushes " + (counters.pushes.get() - pushes) + ", reports sent "
                + (counters.reportsSent.get() - sent) + ", acknowledged " + (counters.reportsAcked.get() - acked)
                + "; " + cloudProgress);
        long t = System.nanoTime();
        try {
            start.run();
            say(name + ": written in the store after " + ms(t) + " ms");
            while (!done.done()) {
                if (ms(t) > timeoutMs) {
                    throw new IllegalStateException(name + ": not done after " + timeoutMs / 1000 + " s ("
                            + cloudProgress + ")");
                }
                Thread.sleep(250);
            }
        } finally {
            progress.interrupt();
        }
        long elapsed = ms(t);
        say(name + ": done in " + elapsed + " ms (" + cloudProgress + ")");
        return elapsed;
    }

    private static Thread ticker(Supplier<String> line) {
        Thread t = new Thread(() -> {
            String last = "";
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
                String now = line.get();
                if (!now.equals(last)) {
                    say(now);
                    last = now;
                }
            }
        }, "progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    // ---- output ----

    private void print(long tlsMs, long connectMs, long rssEmpty, long rssIdle, long floorMs, long deployMs,
            long rssFloorPeak, long rssPeak, long rssHwm) {
        PrintWriter out = new PrintWriter(System.out, true);
        out.printf("%nFleet of %d simulated edges against one cloud node (H2 file, %d cores)%n%n", devices,
                Runtime.getRuntime().availableProcessors());
        out.printf("| %-64s | %10s |%n|---|---|%n", "what", "value");
        row(out, devices + " bare TLS handshakes (" + window + " at a time)", tlsMs + " ms");
        row(out, devices + " devices connected (TLS, SAS, subscribe, twin GET)", connectMs + " ms");
        row(out, "plain desired patch to all, until all acknowledged (floor)", floorMs + " ms");
        row(out, "fleet deployment to all, until reportedSuccessfulCount = " + devices, deployMs + " ms");
        row(out, "cloud node RSS, devices registered, none connected", rssEmpty / 1024 + " MB");
        row(out, "cloud node RSS, " + devices + " connected, idle", rssIdle / 1024 + " MB");
        row(out, "cloud node peak RSS during the plain patch", rssFloorPeak / 1024 + " MB");
        row(out, "cloud node peak RSS during the deployment", rssPeak / 1024 + " MB");
        row(out, "cloud node VmHWM (peak since start)", rssHwm / 1024 + " MB");
        out.printf("%nratio deployment / plain patch: %.2fx%n", (double) deployMs / floorMs);
        out.printf("ratio connect / bare TLS: %.2fx%n", (double) connectMs / tlsMs);
    }

    private static void row(PrintWriter out, String what, String value) {
        out.printf("| %-64s | %10s |%n", what, value);
    }

    private static String result(String metric, String label, String chart, String unit, String better,
            String baselineLabel, long baseline, long value) {
        return String.format("RESULT bench=\"fleet\" metric=\"%s\" label=\"%s\" chart=\"%s\" unit=\"%s\" better=\"%s\""
                + " baseline_label=\"%s\" baseline=\"%d\" value=\"%d\"", metric, label, chart, unit, better,
                baselineLabel, baseline, value);
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
