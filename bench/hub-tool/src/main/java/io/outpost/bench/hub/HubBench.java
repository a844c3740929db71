package io.outpost.bench.hub;

import io.outpost.testing.ModuleCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * bench/hub.sh's measurements: the edge hub's data path through its MQTT listener next to Mosquitto, with the same
 * Paho client code, each scenario against Mosquitto then Outpost. Exits 1 when a message was lost or a scenario
 * could not run. The script installs and starts both brokers and hands over where they are:
 *
 * <pre>
 * --mosquitto-port P --mosquitto-pid PID [--mosquitto-version V]
 * --hub-port P --edge-pid PID --module-inspect FILE --leaves FILE
 * [--quick] [--messages N] [--publishers N] [--rate R] [--duration S] [--drain N] [--warmup N]
 * [--time-limit S] [--stall S] [--first-drain S] [--results FILE]
 * </pre>
 */
public final class HubBench {

    /** The sizes of the scenarios. */
    record Sizes(int messages, int publishers, double rate, Duration duration, int drain, int warmup) {
    }

    private final Sizes sizes;
    private final Scenarios scenarios;
    private final Target mosquitto;
    private final Target outpost;
    private final Report report;
    private final List<Outcome> outcomes = new ArrayList<>();

    private HubBench(Sizes sizes, Scenarios.Limits limits, Target mosquitto, Target outpost) {
        this.sizes = sizes;
        this.scenarios = new Scenarios(limits);
        this.mosquitto = mosquitto;
        this.outpost = outpost;
        this.report = new Report(mosquitto.name());
    }

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> a = parse(args);
        boolean quick = a.containsKey("quick");
        Sizes sizes = new Sizes(integer(a, "messages", quick ? 3_000 : 50_000), integer(a, "publishers", 10),
                integer(a, "rate", quick ? 200 : 1_000), Duration.ofSeconds(integer(a, "duration", quick ? 5 : 60)),
                integer(a, "drain", quick ? 5_000 : 100_000), integer(a, "warmup", quick ? 300 : 20_000));
        Scenarios.Limits limits = new Scenarios.Limits(Duration.ofSeconds(integer(a, "time-limit", quick ? 45 : 90)),
                Duration.ofSeconds(integer(a, "stall", 30)), Duration.ofSeconds(integer(a, "first-drain", 90)));
        Target mosquitto = new MosquittoTarget(integer(a, "mosquitto-port", -1), one(a, "mosquitto-version", ""));
        ModuleCredentials module = ModuleCredentials.fromInspect(Files.readString(Path.of(one(a, "module-inspect",
                null))));
        System.err.printf("hub-bench: module %s/%s (generation %s, hub %s, workload socket %s)%n", module.deviceId(),
                module.moduleId(), module.generationId(), module.hubName(), module.workloadSocket());
        Target outpost = new OutpostTarget(integer(a, "hub-port", -1), module,
                OutpostTarget.leaves(Path.of(one(a, "leaves", null))));

        HubBench bench = new HubBench(sizes, limits, mosquitto, outpost);
        try (RssSampler edgeRss = new RssSampler(integer(a, "edge-pid", -1));
                RssSampler mosquittoRss = new RssSampler(integer(a, "mosquitto-pid", -1))) {
            bench.run(edgeRss, mosquittoRss);
        }
        bench.report.print(System.out, String.format(Locale.ROOT, "Edge hub data path: %s vs Outpost's hub (MQTT "
                + "listener, leaf devices -> route -> module input), same Paho 1.2.5 clients, QoS 1, %d-byte "
                + "payload, %d in flight, %d cores", mosquitto.name(), Payload.SIZE, Clients.IN_FLIGHT,
                Runtime.getRuntime().availableProcessors()));
        if (a.containsKey("results")) {
            bench.report.writeResults(Path.of(one(a, "results", null)));
        }
        boolean failed = bench.outcomes.stream().anyMatch(Outcome::failed);
        System.out.println(failed ? "\nFAILED: a message was lost or a scenario could not run (see above)"
                : "\nok: every published message arrived, in every scenario");
        System.exit(failed ? 1 : 0);
    }

    /** The resident sets idle, then every scenario against both targets, then the resident sets after. */
    private void run(RssSampler edgeRss, RssSampler mosquittoRss) throws InterruptedException {
        Thread.sleep(2_000);
        long edgeIdle = edgeRss.currentKb();
        long mosquittoIdle = mosquittoRss.currentKb();
        edgeRss.start();
        mosquittoRss.start();
        runScenarios();
        System.err.println("hub-bench: scenarios done; RSS after settles for 5 s");
        long edgePeak = edgeRss.peakKb();
        long mosquittoPeak = mosquittoRss.peakKb();
        Thread.sleep(5_000);
        memory("rss_idle", "RSS idle before the run", mosquittoIdle, edgeIdle);
        memory("rss_peak", "RSS peak during the run", mosquittoPeak, edgePeak);
        memory("rss_after", "RSS after the run", mosquittoRss.currentKb(), edgeRss.currentKb());
    }

    private void runScenarios() {
        String a = "(a) 1 -> 1";
        String b = "(b) " + sizes.publishers() + " -> 1";
        String c = String.format(Locale.ROOT, "(c) %.0f msg/s", sizes.rate());
        String d = "(d) drain";
        both(t -> scenarios.allOut("warm-up", t, 1, sizes.warmup()));
        Outcome[] one = both(t -> scenarios.allOut(a, t, 1, sizes.messages()));
        rate("throughput_1to1", a + " all-out, " + sizes.messages() + " msgs: received", one);
        Outcome[] fan = both(t -> scenarios.allOut(b, t, sizes.publishers(), sizes.messages()));
        rate("throughput_fanin", b + " fan-in all-out, " + sizes.messages() + " msgs: received", fan);
        Outcome[] paced = both(t -> scenarios.paced(c, t, sizes.rate(), sizes.duration()));
        latency(c + " for " + sizes.duration().toSeconds() + " s", paced);
        Outcome[] drain = both(t -> scenarios.drain(d, t, sizes.drain()));
        rate("drain", d + " of " + sizes.drain() + " queued msgs", drain);
        report.info(d + ": first message after reconnecting (Paho's connect included)", "ms",
                drain[0].firstAfterMs(), drain[1].firstAfterMs(), 1, !drain[0].failed() && !drain[1].failed());
    }

    private interface Scenario {
        Outcome on(Target target);
    }

    /** Runs a scenario against Mosquitto, then Outpost. */
    private Outcome[] both(Scenario scenario) {
        Outcome[] pair = new Outcome[2];
        List<Supplier<Outcome>> runs = List.of(() -> scenario.on(mosquitto), () -> scenario.on(outpost));
        for (int i = 0; i < 2; i++) {
            pair[i] = runs.get(i).get();
            System.err.println("hub-bench: " + Report.verification(pair[i]));
            outcomes.add(pair[i]);
        }
        report.add(pair[0], pair[1]);
        return pair;
    }

    private void rate(String metric, String label, Outcome[] p) {
        report.row(metric, label, "throughput", "msg/s", "higher", p[0].rate(), p[1].rate(), 0,
                !p[0].failed() && !p[1].failed(), capped(p));
    }

    private void latency(String label, Outcome[] p) {
        boolean valid = !p[0].failed() && !p[1].failed() && p[0].latencyMs() != null && p[1].latencyMs() != null;
        String[] names = {"p50", "p99", "p99.9"};
        String[] ids = {"latency_p50", "latency_p99", "latency_p999"};
        for (int i = 0; i < names.length; i++) {
            double m = p[0].latencyMs() == null ? 0 : p[0].latencyMs()[i];
            double o = p[1].latencyMs() == null ? 0 : p[1].latencyMs()[i];
            report.row(ids[i], label + ": latency from intended send, " + names[i], "latency", "ms", "lower", m, o, 2,
                    valid, capped(p));
        }
        report.info(label + ": due, not received 5 s after the last was due", "msgs", p[0].backlog(), p[1].backlog(),
                0, valid);
    }

    private void memory(String metric, String label, long mosquittoKb, long edgeKb) {
        report.row(metric, label, "memory", "MB", "lower", mosquittoKb / 1024.0, edgeKb / 1024.0, 1, true, "");
    }

    /** A note on a scenario that the time limit stopped early, for the table. */
    private static String capped(Outcome[] p) {
        StringBuilder note = new StringBuilder();
        for (Outcome o : p) {
            if (o.capped()) {
                note.append(note.length() == 0 ? "[" : "; ").append(String.format(Locale.ROOT,
                        "%s: %d of %d sent in the time limit", o.target(), o.published(), o.requested()));
            }
        }
        return note.length() == 0 ? "" : note.append(']').toString();
    }

    private static Map<String, List<String>> parse(String[] args) {
        Map<String, List<String>> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            if (name.equals("quick")) {
                out.put(name, List.of());
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(args[++i]);
            }
        }
        return out;
    }

    private static String one(Map<String, List<String>> a, String name, String fallback) {
        List<String> v = a.get(name);
        if (v == null || v.isEmpty()) {
            if (fallback == null) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return fallback;
        }
        return v.get(v.size() - 1);
    }

    private static int integer(Map<String, List<String>> a, String name, int fallback) {
        return Integer.parseInt(one(a, name, fallback < 0 ? null : Integer.toString(fallback)));
    }
}
