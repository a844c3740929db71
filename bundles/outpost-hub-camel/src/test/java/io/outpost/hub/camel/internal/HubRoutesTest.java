package io.outpost.hub.camel.internal;

import static io.outpost.hub.camel.internal.PumpFixture.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.hub.DeadLetter;
import io.outpost.hub.Endpoints;
import io.outpost.hub.IncomingMessage;
import io.outpost.hub.RouteDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubRoutesTest {

    private static final String FILTER = Endpoints.moduleInput("filter", "input1");
    private static final String ARCHIVE = Endpoints.moduleInput("archive", "in");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private PumpFixture hub;

    @BeforeEach
    void open() throws Exception {
        hub = new PumpFixture(dir);
    }

    @AfterEach
    void close() {
        hub.close();
    }

    private void route(String name, String sink) throws Exception {
        hub.router.putRoute(new RouteDefinition(name, "FROM /messages/* INTO " + sink, 9, 0,
                RouteDefinition.FROM_SHELL));
        hub.reconcile();
    }

    private void send(String... labels) {
        for (String label : labels) {
            hub.router.route(IncomingMessage.fromModule("sensor", "out", message(label)));
        }
    }

    @Test
    void givenModuleInputAndUpstream_whenPumpSettingsAreWritten_thenOnlyTheModuleInputsBackoffIsCapped() {
        HubRoutes.Options options = new HubRoutes.Options(100, 16, 1000, 1000, 60_000, 2_000, true);

        assertThat(options.query(FILTER)).endsWith("backoffInitialMs=1000&backoffMaxMs=2000");
        assertThat(options.query("$upstream")).endsWith("backoffInitialMs=1000&backoffMaxMs=60000");
        assertThat(new HubRoutes.Options(100, 16, 1000, 5_000, 60_000, 2_000, true)
                .query(FILTER)).endsWith("backoffInitialMs=2000&backoffMaxMs=2000");
    }

    @Test
    void givenPoisonMessage_whenPumped_thenDeadLetteredOnceAndTheOthersDelivered() throws Exception {
        route("to-filter", "BrokeredEndpoint(\"/modules/filter/inputs/input1\")");
        hub.endpoint.poison("bad");

        send("a", "bad", "b");

        await().atMost(WAIT).until(() -> hub.endpoint.delivered(FILTER).size() == 2);
        assertThat(hub.endpoint.delivered(FILTER)).containsExactly("a", "b");
        List<DeadLetter> letters = hub.store.deadLetters(FILTER, 10);
        assertThat(letters).singleElement().satisfies(l -> {
            assertThat(TestEndpoint.label(l.message())).isEqualTo("bad");
            assertThat(l.reason()).isEqualTo("cannot decode bad");
        });
        assertThat(hub.endpoint.attempts(FILTER)).containsExactly("a", "bad", "b");
        await().atMost(WAIT).until(() -> hub.store.stats(FILTER).length() == 0);
        assertThat(hub.store.stats(FILTER).deadLetteredTotal()).isEqualTo(1);
    }

    /** Windowed egress: the pump has up to its window in flight to one endpoint, in order, and no more. */
    @Test
    void givenSlowAcknowledgements_whenPumped_thenWindowInFlightInOrderAndNoMore() throws Exception {
        hub.router.putRoute(new RouteDefinition("to-filter",
                "FROM /messages/* INTO BrokeredEndpoint(\"/modules/filter/inputs/input1\")", 9, 0,
                RouteDefinition.FROM_SHELL));
        hub.endpoint.holdAcks();
        List<String> labels = java.util.stream.IntStream.range(0, 60).mapToObj(i -> "m" + i).toList();
        send(labels.toArray(String[]::new));

        hub.reconcile();

        int window = PumpFixture.OPTIONS.window();
        await().atMost(WAIT).until(() -> hub.endpoint.held() == window);
        // the window is full: the pump sends nothing more until an acknowledgement comes
        assertThat(hub.endpoint.attempts(FILTER)).containsExactlyElementsOf(labels.subList(0, window));
        hub.endpoint.releaseAcks();

        await().atMost(WAIT).until(() -> hub.endpoint.delivered(FILTER).size() == labels.size());
        // sent in queue order; acknowledgements of a window may complete in any order
        assertThat(hub.endpoint.attempts(FILTER)).containsExactlyElementsOf(labels);
        assertThat(hub.endpoint.delivered(FILTER)).containsExactlyInAnyOrderElementsOf(labels);
        assertThat(hub.endpoint.maxHeld()).isEqualTo(window);
        await().atMost(WAIT).until(() -> hub.store.stats(FILTER).length() == 0);
    }

    @Test
    void givenTransientFailures_whenPumped_thenRetriedWithBackoffInOrderUntilDelivered() throws Exception {
        route("to-filter", "BrokeredEndpoint(\"/modules/filter/inputs/input1\")");
        hub.endpoint.failNext(3);

        send("a", "b", "c");

        await().atMost(WAIT).until(() -> hub.endpoint.delivered(FILTER).size() == 3);
        assertThat(hub.endpoint.delivered(FILTER)).containsExactly("a", "b", "c");
        assertThat(hub.endpoint.attempts(FILTER)).containsExactly("a", "a", "a", "a", "b", "c");
        assertThat(hub.store.deadLetters(FILTER, 10)).isEmpty();
        await().atMost(WAIT).until(() -> hub.store.stats(FILTER).length() == 0);
    }

    /** A pump backing off (here for ten minutes) tries again as soon as the store wakes its endpoint up. */
    @Test
    void givenAPumpBackingOff_whenTheStoreWakesItsEndpoint_thenItTriesAgainAtOnce() throws Exception {
        hub.close();
        hub = new PumpFixture(dir.resolve("slow"), new HubRoutes.Options(20, 16, 50, 600_000, 600_000, 600_000, true));
        route("to-filter", "BrokeredEndpoint(\"/modules/filter/inputs/input1\")");
        hub.endpoint.failNext(1);

        send("a");
        await().atMost(WAIT).until(() -> hub.endpoint.attempts(FILTER).size() == 1);

        // the module came back (it subscribed to its inputs): the hub wakes the endpoint
        await().atMost(WAIT).until(() -> {
            hub.store.wakeUp(FILTER);
            return hub.endpoint.delivered(FILTER).size() == 1;
        });
        assertThat(hub.endpoint.attempts(FILTER)).containsExactly("a", "a");
    }

    @Test
    void givenDeadEndpoint_whenAnotherEndpointHasTraffic_thenItIsDeliveredAndTheDeadOneKeepsItsQueue()
            throws Exception {
        route("to-filter", "BrokeredEndpoint(\"/modules/filter/inputs/input1\")");
        route("to-archive", "BrokeredEndpoint(\"/modules/archive/inputs/in\")");
        hub.endpoint.down(FILTER);
        String[] labels = IntStream.range(0, 50).mapToObj(i -> "m" + i).toArray(String[]::new);

        send(labels);

        await().atMost(WAIT).until(() -> hub.endpoint.delivered(ARCHIVE).size() == labels.length);
        assertThat(hub.endpoint.delivered(ARCHIVE)).containsExactly(labels);
        assertThat(hub.endpoint.delivered(FILTER)).isEmpty();
        assertThat(hub.store.stats(FILTER).length()).isEqualTo(labels.length);
        assertThat(hub.store.deadLetters(FILTER, 10)).isEmpty();
    }

    @Test
    void givenEndpoints_whenReconciled_thenStableRouteIdsUpstreamHeldAndRemovedEndpointKeepsItsQueue()
            throws Exception {
        route("up", "$upstream");
        route("to-filter", "BrokeredEndpoint('/modules/filter/inputs/input1')");

        send("kept");

        assertThat(hub.camel.getRoutes()).extracting(r -> r.getRouteId())
                .containsExactlyInAnyOrder("out-$upstream", "out-module/filter/input1");
        assertThat(hub.camel.getRouteController().getRouteStatus("out-$upstream")).isEqualTo(ServiceStatus.Stopped);
        assertThat(hub.camel.getRouteController().getRouteStatus("out-module/filter/input1"))
                .isEqualTo(ServiceStatus.Started);
        await().atMost(WAIT).until(() -> hub.endpoint.delivered(FILTER).size() == 1);
        assertThat(hub.store.stats(Endpoints.UPSTREAM).length()).isEqualTo(1);

        hub.router.removeRoute("up");
        hub.reconcile();

        assertThat(hub.camel.getRoutes()).extracting(r -> r.getRouteId()).containsExactly("out-module/filter/input1");
        assertThat(hub.store.stats(Endpoints.UPSTREAM).length()).isEqualTo(1);
    }

    @Test
    void givenHeldUpstream_whenACloudLinkAppearsAndGoes_thenItsRouteStartsDeliversAndStopsAgain() throws Exception {
        route("up", "$upstream");
        send("waiting");
        assertThat(hub.camel.getRouteController().getRouteStatus("out-$upstream")).isEqualTo(ServiceStatus.Stopped);

        hub.routes.upstreamLinked(true);

        assertThat(hub.camel.getRouteController().getRouteStatus("out-$upstream")).isEqualTo(ServiceStatus.Started);
        await().atMost(WAIT).until(() -> hub.endpoint.delivered(Endpoints.UPSTREAM).size() == 1);

        hub.routes.upstreamLinked(false);

        assertThat(hub.camel.getRouteController().getRouteStatus("out-$upstream")).isEqualTo(ServiceStatus.Stopped);
    }
}
