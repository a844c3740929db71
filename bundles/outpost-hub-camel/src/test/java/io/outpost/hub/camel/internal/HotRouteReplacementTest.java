package io.outpost.hub.camel.internal;

import static io.outpost.hub.camel.internal.PumpFixture.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.hub.Endpoints;
import io.outpost.hub.IncomingMessage;
import io.outpost.hub.RouteDefinition;
import io.outpost.hub.RouteResult;
import io.outpost.hub.testing.HubStoreFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes are replaced again and again while 5,000 messages flow through the router, the store and the pump. */
class HotRouteReplacementTest {

    private static final int MESSAGES = 5_000;
    private static final int PRODUCERS = 2;
    private static final String FILTER = Endpoints.moduleInput("filter", "input1");
    private static final String SINK = " INTO BrokeredEndpoint(\"/modules/filter/inputs/input1\")";

    @TempDir
    Path dir;

    private static List<RouteDefinition> tableA() {
        return List.of(new RouteDefinition("sensor", "FROM /messages/modules/sensor/*" + SINK, 5, 0, "deployment"));
    }

    private static List<RouteDefinition> tableB() {
        return List.of(new RouteDefinition("all", "FROM /messages/*" + SINK, 3, 0, "deployment"),
                new RouteDefinition("never", "FROM /messages/* WHERE false" + SINK, 0, 0, "deployment"));
    }

    @Test
    void givenFlowingMessages_whenRoutesReplacedRepeatedly_thenEveryAcknowledgedMessageDeliveredOnce() throws Exception {
        try (PumpFixture hub = new PumpFixture(dir)) {
            HubStoreFixture.replaceAll(hub.router, tableA(), Optional.empty());
            hub.reconcile();
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
            List<Future<?>> running = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int first = p * (MESSAGES / PRODUCERS);
                running.add(producers.submit(() -> produce(hub, first, MESSAGES / PRODUCERS, acknowledged)));
            }
            int swaps = 0;
            while (running.stream().anyMatch(f -> !f.isDone())) {
                HubStoreFixture.replaceAll(hub.router, swaps % 2 == 0 ? tableB() : tableA(), Optional.of(Duration.ofHours(swaps % 3 + 1)));
                hub.reconcile();
                swaps++;
                LockSupport.parkNanos(2_000_000); // paces the swaps: a few hundred per second, not a busy loop
            }
            for (Future<?> f : running) {
                f.get();
            }
            producers.shutdown();

            await().atMost(Duration.ofMinutes(2)).until(() -> hub.endpoint.delivered(FILTER).size() >= MESSAGES);
            List<String> delivered = hub.endpoint.delivered(FILTER);
            Set<String> distinct = new HashSet<>(delivered);
            System.out.printf("hot-route-replacement swaps=%d acknowledged=%d delivered=%d duplicates=%d%n", swaps,
                    acknowledged.size(), delivered.size(), delivered.size() - distinct.size());
            assertThat(swaps).isGreaterThan(1);
            assertThat(acknowledged).hasSize(MESSAGES);
            assertThat(distinct).containsAll(acknowledged);
            assertThat(delivered).hasSize(MESSAGES);
            assertThat(hub.router.stats().unroutedTotal()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.store.stats(FILTER).length() == 0);
        }
    }

    private static void produce(PumpFixture hub, int first, int count, Set<String> acknowledged) {
        for (int i = first; i < first + count; i++) {
            String label = "m" + i;
            RouteResult result = hub.router.route(IncomingMessage.fromModule("sensor", "out", message(label)));
            if (result.enqueued().stream().anyMatch(e -> e.endpoint().equals(FILTER))) {
                acknowledged.add(label);
            }
        }
    }
}
