package io.outpost.hub.camel.internal;

import io.outpost.common.SystemClock;
import io.outpost.hub.EndpointSender;
import io.outpost.hub.IncomingMessage;
import io.outpost.hub.Message;
import io.outpost.hub.MessageRouter;
import io.outpost.hub.RouteDefinition;
import io.outpost.hub.testing.HubStoreFixture;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The benchmark behind {@code bench/route.sh} (not a test; the build compiles it with the tests, so it always
 * matches the code it measures): persistent 256-byte messages through one route (producers -> router -> durable
 * endpoint queue -> this bundle's Camel pump, {@link HubRoutes} with {@link HubCamelComponent}'s default settings
 * -> endpoint) next to a baseline, run in the same JVM on the same embedded broker with the same load generator:
 * the same producer threads sending durable messages to one plain durable queue, drained by one core consumer that
 * commits its acknowledgements in batches of at most 100 (as the pump does). The store, the router and the
 * baseline's sessions come from outpost-hub's test-support artifact ({@link HubStoreFixture}). Prints throughput,
 * p50 and p99 latency (send to receipt) of both, and the ratios. Arguments: messages, producer threads, warm-up
 * messages.
 */
public final class RouteBench {

    private static final int BODY = 256;
    private static final String PROPERTY = "sentNanos";

    private record Result(String name, double perSecond, double p50Ms, double p99Ms) {
        void print() {
            System.out.printf("%-28s %10.0f msg/s   p50 %7.2f ms   p99 %7.2f ms%n", name, perSecond, p50Ms, p99Ms);
        }
    }

    /** Collects one latency per message and the time the last one arrived. */
    private static final class Sink {
        final long[] latencies;
        final CountDownLatch done;
        volatile long lastNanos;
        private int next;

        Sink(int messages) {
            latencies = new long[messages];
            done = new CountDownLatch(messages);
        }

        synchronized void received(long sentNanos) {
            long now = System.nanoTime();
            if (next < latencies.length) {
                latencies[next++] = now - sentNanos;
                lastNanos = now;
                done.countDown();
            }
        }

        Result result(String name, long startNanos) {
            if (done.getCount() > 0) {
                throw new IllegalStateException(name + ": " + done.getCount() + " messages did not arrive");
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            double seconds = (lastNanos - startNanos) / 1e9;
            return new Result(name, sorted.length / seconds, sorted[sorted.length / 2] / 1e6,
                    sorted[(int) (sorted.length * 0.99)] / 1e6);
        }
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int producers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        Path dir = Files.createTempDirectory("outpost-route-bench");
        System.out.printf("messages=%d producers=%d body=%d bytes persistent, data in %s%n", messages, producers,
                BODY, dir);
        try (HubStoreFixture hub = HubStoreFixture.open(dir, SystemClock.INSTANCE)) {
            baseline(hub, warmup, producers);
            Result base = baseline(hub, messages, producers);
            route(hub, warmup, producers, "warm");
            Result routed = route(hub, messages, producers, "run");
            base.print();
            routed.print();
            System.out.printf("ratio route/baseline: throughput %.2f   p50 %.2f   p99 %.2f%n",
                    routed.perSecond() / base.perSecond(), routed.p50Ms() / base.p50Ms(), routed.p99Ms() / base.p99Ms());
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The pump settings the component runs with when nothing is configured (its Config's defaults). */
    static HubRoutes.Options componentDefaults() {
        HubCamelComponent.Config defaults = (HubCamelComponent.Config) Proxy.newProxyInstance(
                HubCamelComponent.Config.class.getClassLoader(), new Class<?>[] {HubCamelComponent.Config.class},
                (proxy, method, arguments) -> method.getDefaultValue());
        return HubCamelComponent.options(defaults);
    }

    private static Message message(long sentNanos) {
        return new Message(Map.of("contentType", "application/octet-stream"),
                Map.of(PROPERTY, Long.toString(sentNanos)), new byte[BODY]);
    }

    private static Result route(HubStoreFixture hub, int messages, int producers, String run) throws Exception {
        Sink sink = new Sink(messages);
        EndpointSender endpoint = (e, m) -> sink.received(Long.parseLong(m.properties().get(PROPERTY)));
        MessageRouter router = hub.newRouter();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            HubRoutes routes = new HubRoutes(camel, hub.store(), endpoint, componentDefaults());
            camel.start();
            router.putRoute(new RouteDefinition("bench", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/bench-"
                    + run + "/inputs/in\")", 9, 0, RouteDefinition.FROM_SHELL));
            routes.reconcile(router.endpoints());
            long start = System.nanoTime();
            load(messages, producers, i -> router.route(IncomingMessage.fromModule("bench", "out",
                    message(System.nanoTime()))));
            sink.done.await(10, TimeUnit.MINUTES);
            return sink.result("route (router+store+Camel)", start);
        }
    }

    private static Result baseline(HubStoreFixture hub, int messages, int producers) throws Exception {
        String queue = "outpost.bench.baseline";
        hub.createDurableQueue(queue);
        Sink sink = new Sink(messages);
        Thread consumer = new Thread(() -> drain(hub, queue, sink), "bench-baseline-consumer");
        consumer.start();
        ThreadLocal<ClientSession> sessions = new ThreadLocal<>();
        long start = System.nanoTime();
        load(messages, producers, i -> {
            try {
                if (sessions.get() == null) {
                    sessions.set(hub.createSession(false));
                }
                ClientSession s = sessions.get();
                try (ClientProducer p = s.createProducer(queue)) {
                    ClientMessage m = s.createMessage(true);
                    m.putLongProperty(PROPERTY, System.nanoTime());
                    m.getBodyBuffer().writeBytes(new byte[BODY]);
                    p.send(m);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sink.done.await(10, TimeUnit.MINUTES);
        consumer.join();
        return sink.result("baseline (durable queue)", start);
    }

    private static void drain(HubStoreFixture hub, String queue, Sink sink) {
        try {
            ClientSession session = hub.createSession(true);
            try (ClientConsumer consumer = session.createConsumer(queue)) {
                int pending = 0;
                while (sink.done.getCount() > 0) {
                    ClientMessage m = consumer.receive(100);
                    if (m != null) {
                        m.individualAcknowledge();
                        sink.received(m.getLongProperty(PROPERTY));
                        pending++;
                    }
                    if (pending > 0 && (m == null || pending >= 100)) {
                        session.commit();
                        pending = 0;
                    }
                }
                session.commit();
            } finally {
                session.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void load(int messages, int producers, IntConsumer send) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        int each = messages / producers;
        for (int p = 0; p < producers; p++) {
            int count = p == producers - 1 ? messages - each * (producers - 1) : each;
            pool.execute(() -> {
                for (int i = 0; i < count; i++) {
                    send.accept(i);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
    }

    private RouteBench() {
    }
}
