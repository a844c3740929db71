package io.outpost.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * bench/fleet.sh: N simulated edges ({@link SimDevice}, Netty, one JVM) against one real Outpost Cloud, installed
 * from the assembly and started by the script, driven as an operator drives it: devices registered, twins patched,
 * the deployment created and its metrics read through the REST API ({@link CloudRest}), the devices connected to
 * its device endpoint. Measures, in one run:
 * <ol>
 * <li>the cloud's RSS with the devices registered and none connected (the memory baseline);</li>
 * <li>N bare TLS handshakes with the endpoint (the connect baseline, after 100 unmeasured ones that warm up both
 * JVMs), then N devices connected: TLS, SAS authentication against the registry, subscriptions and the first twin
 * GET;</li>
 * <li>the RSS idle with N connected;</li>
 * <li>the floor: a plain desired patch of {@code $edgeAgent} on every device (the same module list as the
 * deployment; one REST PATCH per device), from the first write until every twin reports
 * {@code lastDesiredVersion} = its desired version (read back through REST);</li>
 * <li>a fleet deployment targeting every device by tag (one REST POST), from its creation until its metrics show
 * {@code reportedSuccessfulCount} = N, with the peak RSS during it.</li>
 * </ol>
 */
public final class FleetBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "sim-";
    private static final String DEPLOYMENT = "fleet-bench";
    /** REST requests in flight at a time for the operations on every device. */
    private static final int REST_PARALLEL = 8;

    private final Options o;
    private final CloudRest cloud;
    private final SimDevice.Counters counters = new SimDevice.Counters();
    private volatile String cloudProgress = "";

    /** The command line. */
    record Options(int devices, int window, long timeoutMs, Path results, URI api, Path tokenFile, int endpointPort,
            Path trustBundle, long pid, String cloudHeap) {

        static Options parse(String[] args) {
            Map<String, String> a = new LinkedHashMap<>(Map.of("--devices", "1000", "--window", "50",
                    "--timeout-secs", "900", "--cloud-heap", "?"));
            for (int i = 0; i < args.length; i += 2) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
                }
                a.put(args[i], args[i + 1]);
            }
            for (String required : List.of("--api", "--token-file", "--endpoint-port", "--trust", "--pid")) {
                if (!a.containsKey(required)) {
                    throw new IllegalArgumentException(required + " is required");
                }
            }
            Options o = new Options(Integer.parseInt(a.remove("--devices")), Integer.parseInt(a.remove("--window")),
                    Long.parseLong(a.remove("--timeout-secs")) * 1000,
                    a.containsKey("--results") ? Path.of(a.remove("--results")) : null, URI.create(a.remove("--api")),
                    Path.of(a.remove("--token-file")), Integer.parseInt(a.remove("--endpoint-port")),
                    Path.of(a.remove("--trust")), Long.parseLong(a.remove("--pid")), a.remove("--cloud-heap"));
            if (!a.isEmpty()) {
                throw new IllegalArgumentException("unknown arguments: " + a.keySet());
            }
            if (o.devices < 1 || o.window < 1) {
                throw new IllegalArgumentException("--devices and --window must be at least 1");
            }
            return o;
        }
    }

    private FleetBench(Options o, String token) {
        this.o = o;
        this.cloud = new CloudRest(o.api, token, REST_PARALLEL);
    }

    public static void main(String[] args) {
        try {
            Options o = Options.parse(args);
            new FleetBench(o, Files.readString(o.tokenFile).strip()).run();
        } catch (Exception e) {
            say("failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static void say(String text) {
        System.err.println("bench: " + text);
    }

    private void run() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= o.devices; i++) {
            ids.add(String.format("%s%05d", PREFIX, i));
        }
        long t = System.nanoTime();
        Map<String, String> registered = cloud.registerDevices(ids, Map.of("fleet", "bench"));
        Map<String, String> keys = new LinkedHashMap<>();
        ids.forEach(id -> keys.put(id, registered.get(id)));
        say("registered " + o.devices + " devices through the REST API in " + ms(t) + " ms");
        List<Channel> channels = new ArrayList<>();
        try (Rss rss = new Rss(o.pid); FleetConnector connector = new FleetConnector(
                new InetSocketAddress("127.0.0.1", o.endpointPort), o.trustBundle, o.window, o.timeoutMs)) {
            Thread.sleep(3000);
            long rssEmpty = rss.nowKb();
            connector.handshakes(Math.min(o.devices, 100)); // warm-up of both JVMs' TLS code, not measured
            long tlsMs = connector.handshakes(o.devices);
            say(o.devices + " TLS handshakes alone: " + tlsMs + " ms");
            long connectMs = connector.connectAll(keys, counters, channels);
            say(o.devices + " devices connected in " + connectMs + " ms");
            Thread.sleep(5000);
            long rssIdle = rss.nowKb();
            say("cloud RSS: " + rssEmpty / 1024 + " MB with no device connected, " + rssIdle / 1024 + " MB idle with "
                    + o.devices + " connected");

            rss.resetPeak();
            Set<String> pending = new LinkedHashSet<>(ids);
            long floorMs = round("plain desired patch", () -> cloud.patchAgentDesired(ids, agentDesired("sensor:1")),
                    () -> {
                        pending.removeAll(cloud.acknowledged(pending));
                        cloudProgress = "acknowledged in the cloud " + (o.devices - pending.size()) + "/" + o.devices;
                        return pending.isEmpty();
                    });
            long rssFloorPeak = rss.peakKb();

            rss.resetPeak();
            long deployMs = round("fleet deployment", () -> cloud.createDeployment(deployment()), () -> {
                JsonNode m = cloud.metrics(DEPLOYMENT);
                cloudProgress = "metrics " + m;
                if (m.path("reportedFailedCount").asLong() != 0) {
                    throw new IllegalStateException("devices reported the deployment failed: " + m);
                }
                return m.path("reportedSuccessfulCount").asLong() >= o.devices;
            });
            long rssPeak = rss.peakKb();
            if (counters.errors.get() > 0) {
                say("warning: " + counters.errors.get() + " errors on the device side (refused reports or GETs)");
            }
            print(tlsMs, connectMs, rssEmpty, rssIdle, floorMs, deployMs, rssFloorPeak, rssPeak,
                    rss.highWaterMarkKb());
            if (o.results != null) {
                writeResults(tlsMs, connectMs, rssEmpty, rssIdle, floorMs, deployMs, rssFloorPeak, rssPeak);
            }
        } finally {
            channels.forEach(Channel::close);
        }
    }

    /** The $edgeAgent desired properties of a deployment with one module running {@code image}. */
    private static JsonNode agentDesired(String image) throws Exception {
        return JSON.readTree("{\"schemaVersion\":\"1.1\",\"runtime\":{\"type\":\"docker\",\"settings\":"
                + "{\"minDockerVersion\":\"v1.25\"}},\"systemModules\":{\"edgeAgent\":{\"type\":\"docker\","
                + "\"settings\":{\"image\":\"outpost/agent:1\",\"createOptions\":\"{}\"}},\"edgeHub\":{\"type\":"
                + "\"docker\",\"status\":\"running\",\"restartPolicy\":\"always\",\"settings\":{\"image\":"
                + "\"outpost/hub:1\",\"createOptions\":\"{}\"}}},\"modules\":{\"sensor\":{\"version\":\"1.0\","
                + "\"type\":\"docker\",\"status\":\"running\",\"restartPolicy\":\"always\",\"settings\":{\"image\":\""
                + image + "\",\"createOptions\":\"{}\"}}}}");
    }

    /** The fleet deployment: every device tagged fleet = bench, the module list of the floor with a new image. */
    private static JsonNode deployment() throws Exception {
        ObjectNode d = JSON.createObjectNode().put("id", DEPLOYMENT).put("targetCondition", "tags.fleet = 'bench'")
                .put("priority", 10);
        d.putObject("labels").put("bench", "fleet");
        ObjectNode content = d.putObject("content").putObject("modulesContent");
        content.putObject("$edgeAgent").set("properties.desired", agentDesired("sensor:2"));
        content.putObject("$edgeHub").set("properties.desired", JSON.readTree("{\"schemaVersion\": \"1.2\", "
                + "\"routes\": {\"up\": \"FROM /messages/* INTO $upstream\"}, \"storeAndForwardConfiguration\": "
                + "{\"timeToLiveSecs\": 7200}}"));
        return d;
    }

    // ---- rounds ----

    interface Step {
        void run() throws Exception;
    }

    interface Check {
        boolean done() throws Exception;
    }

    /** Times {@code start} until {@code done}, which is polled every 250 ms (each poll is REST reads). */
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
            say(name + ": written through the REST API after " + ms(t) + " ms");
            while (!done.done()) {
                if (ms(t) > o.timeoutMs) {
                    throw new IllegalStateException(name + ": not done after " + o.timeoutMs / 1000 + " s ("
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

    static Thread ticker(Supplier<String> line) {
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
        out.printf("%nFleet of %d simulated edges against one Outpost Cloud (the assembly, cloud profile, H2 file, "
                + "heap %s; %d cores)%n%n", o.devices, o.cloudHeap, Runtime.getRuntime().availableProcessors());
        out.printf("| %-64s | %10s |%n|---|---|%n", "what", "value");
        row(out, o.devices + " bare TLS handshakes (" + o.window + " at a time)", tlsMs + " ms");
        row(out, o.devices + " devices connected (TLS, SAS, subscribe, twin GET)", connectMs + " ms");
        row(out, "plain desired patch to all, until all acknowledged (floor)", floorMs + " ms");
        row(out, "fleet deployment to all, until reportedSuccessfulCount = " + o.devices, deployMs + " ms");
        row(out, "cloud RSS, devices registered, none connected", rssEmpty / 1024 + " MB");
        row(out, "cloud RSS, " + o.devices + " connected, idle", rssIdle / 1024 + " MB");
        row(out, "cloud peak RSS during the plain patch", rssFloorPeak / 1024 + " MB");
        row(out, "cloud peak RSS during the deployment", rssPeak / 1024 + " MB");
        row(out, "cloud VmHWM (peak since start)", rssHwm / 1024 + " MB");
        out.printf("%nratio deployment / plain patch: %.2fx%n", (double) deployMs / floorMs);
        out.printf("ratio connect / bare TLS: %.2fx%n", (double) connectMs / tlsMs);
    }

    private static void row(PrintWriter out, String what, String value) {
        out.printf("| %-64s | %10s |%n", what, value);
    }

    private void writeResults(long tlsMs, long connectMs, long rssEmpty, long rssIdle, long floorMs, long deployMs,
            long rssFloorPeak, long rssPeak) throws Exception {
        int n = o.devices;
        List<String> lines = List.of(
                result("deploy_all_" + n, "deployment to " + n + " devices reported applied", "deploy", "ms", "lower",
                        "plain desired patch to " + n + " devices acknowledged", floorMs, deployMs),
                result("connect_" + n, n + " devices connected (TLS, SAS, subscribe, twin GET)", "fleet", "ms",
                        "lower", n + " bare TLS handshakes", tlsMs, connectMs),
                result("rss_idle_" + n, "cloud RSS, " + n + " devices connected, idle", "memory", "MB", "lower",
                        "cloud, no device connected", rssEmpty / 1024, rssIdle / 1024),
                result("rss_peak_" + n, "cloud peak RSS during the deployment", "memory", "MB", "lower",
                        "peak during the plain patch", rssFloorPeak / 1024, rssPeak / 1024));
        Files.write(o.results, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String result(String metric, String label, String chart, String unit, String better,
            String baselineLabel, long baseline, long value) {
        return String.format("RESULT bench=\"fleet\" metric=\"%s\" label=\"%s\" chart=\"%s\" unit=\"%s\" better=\"%s\""
                + " baseline_label=\"%s\" baseline=\"%d\" value=\"%d\"", metric, label, chart, unit, better,
                baselineLabel, baseline, value);
    }

    static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
