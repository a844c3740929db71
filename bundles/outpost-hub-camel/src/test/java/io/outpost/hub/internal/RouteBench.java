package io.outpost.hub.internal;

import io.outpost.common.SystemClock;
import io.outpost.hub.EndpointSender;
import io.outpost.hub.IncomingMessage;
import io.outpost.hub.Message;
import io.outpost.hub.RouteDefinition;
import io.outpost.hub.StoredMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The benchmark behind {@code bench/route.sh} (not a test): persistent 256-byte messages through one route
 * (producers -> router -> durable endpoint queue -> Camel pump -> endpoint) next to a baseline, run in the same
 * JVM on the same embedded broker with the same load generator: the same producer threads sending durable
 * messages to one plain durable queue, drained by one core consumer that commits its acknowledgements in
 * batches of at most 100 (as the pump does). Prints throughput, p50 and p99 latency (send to receipt) of both,
 * and the ratios. Arguments: messages, producer threads, warm-up messages.
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
        try (ArtemisMessageStore store = ArtemisMessageStore.open(dir, SystemClock.INSTANCE)) {
            baseline(store, warmup, producers);
            Result base = baseline(store, messages, producers);
            route(store, warmup, producers, "warm");
            Result routed = route(store, messages, producers, "run");
            base.print();
            routed.print();
            System.out.printf("ratio route/baseline: throughput %.2f   p50 %.2f   p99 %.2f%n",
                    routed.perSecond() / base.perSecond(), routed.p50Ms() / base.p50Ms(), routed.p99Ms() / base.p99Ms());
        }
    }

    private static Message message(long sentNanos) {
        return new Message(Map.of("contentType", "application/octet-stream"),
                Map.of(PROPERTY, Long.toString(sentNanos)), new byte[BODY]);
    }

    private static Result route(ArtemisMessageStore store, int messages, int producers, String run) throws Exception {
        Sink sink = new Sink(messages);
        EndpointSender endpoint = (e, m) -> sink.received(Long.parseLong(m.properties().get(PROPERTY)));
        Router router = new Router(store);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            io.outpost.hub.camel.internal.BenchRoutes.start(camel, store, endpoint);
            router.putRoute(new RouteDefinition("bench", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/bench-"
                    + run + "/inputs/in\")", 9, 0, RouteDefinition.FROM_SHELL));
            io.outpost.hub.camel.internal.BenchRoutes.reconcile(camel, router.endpoints());
            long start = System.nanoTime();
            load(messages, producers, i -> router.route(IncomingMessage.fromModule("bench", "out",
                    message(System.nanoTime()))));
            sink.done.await(10, TimeUnit.MINUTES);
            return sink.result("route (router+store+Camel)", start);
        }
    }

    private static Result baseline(ArtemisMessageStore store, int messages, int producers) throws Exception {
        EmbeddedBroker broker = store.broker();
        String queue = "outpost.bench.baseline";
        if (broker.server().locateQueue(queue) == null) {
            broker.server().createQueue(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
        Sink sink = new Sink(messages);
        Thread consumer = new Thread(() -> drain(broker, queue, sink), "bench-baseline-consumer");
        consumer.start();
        ThreadLocal<ClientSession> sessions = new ThreadLocal<>();
        long start = System.nanoTime();
        load(messages, producers, i -> {
            try {
                if (sessions.get() == null) {
                    sessions.set(broker.createSession(false));
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

    private static void drain(EmbeddedBroker broker, String queue, Sink sink) {
        try {
            ClientSession session = broker.createSession(true);
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
