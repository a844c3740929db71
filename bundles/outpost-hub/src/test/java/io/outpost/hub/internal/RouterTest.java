package io.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outpost.common.ManualClock;
import io.outpost.common.OutpostException;
import io.outpost.hub.Endpoints;
import io.outpost.hub.HubErrorCode;
import io.outpost.hub.IncomingMessage;
import io.outpost.hub.Message;
import io.outpost.hub.RouteDefinition;
import io.outpost.hub.RouteResult;
import io.outpost.hub.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterTest {

    private static final String FILTER = Endpoints.moduleInput("filter", "input1");

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.atEpochOf2026();
    private ArtemisMessageStore store;
    private Router router;

    @BeforeEach
    void open() {
        store = StoreFixture.open(dir, clock);
        router = new Router(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static RouteDefinition route(String name, String text, int priority, long ttl) {
        return new RouteDefinition(name, text, priority, ttl, RouteDefinition.FROM_SHELL);
    }

    private static IncomingMessage json(String module, String output, String body) {
        return IncomingMessage.fromModule(module, output, new Message(
                Map.of("contentType", "application/json", "contentEncoding", "utf-8"), Map.of("k", "v"),
                body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void givenSeveralRoutesToOneEndpoint_whenMessageMatchesThem_thenEnqueuedOnceWithBestPriorityAndItsTtl()
            throws Exception {
        router.putRoute(route("low", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/filter/inputs/input1\")", 7, 60));
        router.putRoute(route("high", "FROM /messages/modules/sensor/* INTO BrokeredEndpoint('/modules/filter/inputs/input1')",
                2, 30));
        router.putRoute(route("never", "FROM /messages/* WHERE false INTO BrokeredEndpoint(\"/modules/filter/inputs/input1\")",
                0, 10));

        RouteResult result = router.route(json("sensor", "out1", "{}"));

        assertThat(result.enqueued()).singleElement().satisfies(e -> {
            assertThat(e.endpoint()).isEqualTo(FILTER);
            assertThat(e.priority()).isEqualTo(2);
            assertThat(e.ttl()).isEqualTo(Duration.ofSeconds(30));
        });
        List<StoredMessage> stored = StoreFixture.drain(store, FILTER);
        assertThat(stored).singleElement().satisfies(m -> {
            assertThat(m.priority()).isEqualTo(2);
            assertThat(m.expiresAt()).isEqualTo(clock.now().plusSeconds(30));
            assertThat(m.systemProperties()).containsEntry("connectionModuleId", "sensor")
                    .containsEntry("outputName", "out1");
        });
    }

    @Test
    void givenRoutesToTwoEndpoints_whenMessageMatchesBoth_thenStoredInEachQueue() throws Exception {
        router.putRoute(route("up", "FROM /messages/* INTO $upstream", 9, 0));
        router.putRoute(route("filter", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/filter/inputs/input1\")", 9, 0));

        RouteResult result = router.route(IncomingMessage.fromDevice("leaf-1", Message.of(new byte[] {1})));

        assertThat(result.enqueued()).extracting(RouteResult.Enqueued::endpoint)
                .containsExactlyInAnyOrder(Endpoints.UPSTREAM, FILTER);
        assertThat(StoreFixture.drain(store, Endpoints.UPSTREAM)).singleElement()
                .satisfies(m -> assertThat(m.systemProperties()).containsEntry("connectionDeviceId", "leaf-1"));
        assertThat(StoreFixture.drain(store, FILTER)).hasSize(1);
    }

    @Test
    void givenRouteWithoutTtl_whenRouted_thenGlobalTtlElseStoreDefault() throws Exception {
        router.putRoute(route("up", "FROM /messages/* INTO $upstream", 9, RouteDefinition.GLOBAL_TTL));
        router.route(IncomingMessage.fromDevice("d", Message.of(new byte[0])));
        router.replaceAll(router.routes(), Optional.of(Duration.ofSeconds(120)));
        router.route(IncomingMessage.fromDevice("d", Message.of(new byte[0])));

        List<StoredMessage> stored = StoreFixture.drain(store, Endpoints.UPSTREAM);

        assertThat(stored).extracting(m -> Duration.between(m.enqueuedAt(), m.expiresAt()))
                .containsExactly(Duration.ofSeconds(7200), Duration.ofSeconds(120));
    }

    @Test
    void givenNoMatchingRoute_whenRouted_thenNothingStoredAndCountedAsNoRoute() {
        router.putRoute(route("only-temp", "FROM /messages/* WHERE $body.temp > 30 INTO $upstream", 9, 0));

        RouteResult cold = router.route(json("sensor", "out1", "{\"temp\": 20}"));
        RouteResult undefined = router.route(json("sensor", "out1", "{\"humidity\": 20}"));
        RouteResult hot = router.route(json("sensor", "out1", "{\"temp\": 31}"));

        assertThat(cold.routed()).isFalse();
        assertThat(undefined.routed()).isFalse();
        assertThat(hot.routed()).isTrue();
        assertThat(router.stats().unroutedTotal()).isEqualTo(2);
        assertThat(router.stats().routedTotal()).isEqualTo(1);
        // acknowledged means durable; the broker counts the message an instant later
        await().atMost(Duration.ofSeconds(10)).until(() -> store.stats(Endpoints.UPSTREAM).length() == 1);
    }

    @Test
    void givenInvalidRouteAmongNew_whenReplaced_thenRefusedWithColumnAndOldRoutesKept() {
        router.putRoute(route("up", "FROM /messages/* INTO $upstream", 9, 0));

        assertThatThrownBy(() -> router.replaceAll(List.of(route("ok", "FROM /* INTO $upstream", 1, 0),
                route("bad", "FROM /messages/* WHERE INTO $upstream", 1, 0)), Optional.empty()))
                .isInstanceOfSatisfying(OutpostException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.INVALID_ROUTE))
                .hasMessageContaining("route bad: column");

        assertThat(router.routes()).extracting(RouteDefinition::name).containsExactly("up");
    }

    @Test
    void givenRoutes_whenRemovedOrUnknown_thenEndpointsFollowAndUnknownIsRefused() throws Exception {
        List<Set<String>> seen = new ArrayList<>();
        try (AutoCloseable subscription = router.subscribe(seen::add)) {
            router.putRoute(route("up", "FROM /messages/* INTO $upstream", 9, 0));
            router.putRoute(route("filter", "FROM /* INTO BrokeredEndpoint(\"/modules/filter/inputs/input1\")", 9, 0));
            router.putRoute(route("filter", "FROM /messages/* INTO BrokeredEndpoint(\"/modules/filter/inputs/input1\")", 3, 0));
            router.removeRoute("up");
        }
        router.putRoute(route("later", "FROM /* INTO $upstream", 9, 0));

        assertThat(seen).containsExactly(Set.of(), Set.of(Endpoints.UPSTREAM), Set.of(Endpoints.UPSTREAM, FILTER),
                Set.of(FILTER));
        assertThat(router.routes()).extracting(RouteDefinition::priority).containsExactly(3, 9);
        assertThatThrownBy(() -> router.removeRoute("nope")).isInstanceOfSatisfying(OutpostException.class,
                e -> assertThat(e.errorCode()).isEqualTo(HubErrorCode.UNKNOWN_ROUTE));
    }
}
