package io.outpost.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouteSourceTest {

    private static final MessageSource SENSOR_OUT = MessageSource.module("sensor", "out");
    private static final MessageSource SENSOR_NO_OUTPUT = MessageSource.module("sensor", null);
    private static final MessageSource OTHER_MODULE = MessageSource.module("other", "out");
    private static final MessageSource LEAF = MessageSource.device("leaf1");
    private static final MessageSource TWIN = MessageSource.twinChange("dev1");

    static Stream<Arguments> sources() {
        // source path, then whether it selects: sensor/out, sensor without output, other/out, leaf device, twin change
        return Stream.of(
                Arguments.of("/*", true, true, true, true, true),
                Arguments.of("/messages/*", true, true, true, true, false),
                Arguments.of("/messages/modules/*", true, true, true, false, false),
                Arguments.of("/messages/modules/sensor", true, true, false, false, false),
                Arguments.of("/messages/modules/sensor/*", true, true, false, false, false),
                Arguments.of("/messages/modules/sensor/outputs/*", true, false, false, false, false),
                Arguments.of("/messages/modules/sensor/outputs/out", true, false, false, false, false),
                Arguments.of("/messages/modules/sensor/outputs/other", false, false, false, false, false),
                Arguments.of("/messages/modules/Sensor", false, false, false, false, false),
                Arguments.of("/twinChangeNotifications", false, false, false, false, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void givenSource_whenMessagesArrive_thenSelectsExactlyItsSenders(String path, boolean sensorOut,
            boolean sensorNoOutput, boolean otherModule, boolean leaf, boolean twin) {
        RouteSource source = RouteParser.parse("FROM " + path + " INTO $upstream").source();

        assertThat(source.matches(SENSOR_OUT)).isEqualTo(sensorOut);
        assertThat(source.matches(SENSOR_NO_OUTPUT)).isEqualTo(sensorNoOutput);
        assertThat(source.matches(OTHER_MODULE)).isEqualTo(otherModule);
        assertThat(source.matches(LEAF)).isEqualTo(leaf);
        assertThat(source.matches(TWIN)).isEqualTo(twin);
        assertThat(source.text()).isEqualTo(path);
    }

    @Test
    void givenRouteWhoseSourceDoesNotMatch_whenEvaluated_thenFalseEvenIfConditionIsTrue() {
        CompiledRoute route = CompiledRoute.compile(
                new Route("filterToCloud", "FROM /messages/modules/filter/* WHERE true INTO $upstream", 0, 60));
        RouteMessage fromSensor = new RouteMessage(SENSOR_OUT, Map.of(), Map.of(), null);
        RouteMessage fromFilter = new RouteMessage(MessageSource.module("filter", "o"), Map.of(), Map.of(), null);

        assertThat(route.evaluate(fromSensor)).isEqualTo(TriState.FALSE);
        assertThat(route.matches(fromFilter)).isTrue();
        assertThat(route.sink().endpointId()).isEqualTo("$upstream");
        assertThat(route.route().priority()).isZero();
    }

    @Test
    void givenInvalidRecordValues_whenConstructed_thenRefused() {
        assertThatThrownBy(() -> new RouteSource(RouteSource.Kind.MODULE, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RouteSource(RouteSource.Kind.ALL, "m", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RouteSource(RouteSource.Kind.MODULE_ALL, "m", "o"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RouteSink(RouteSink.Kind.MODULE_INPUT, "m", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RouteSink(RouteSink.Kind.UPSTREAM, "m", "i"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageSource(MessageSource.Type.DEVICE, "d", "o"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageSource.module("", "o")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenRouteValues_whenConstructed_thenNamePriorityAndTtlAreValidated() {
        assertThat(Route.of("sensorToFilter", "FROM /* INTO $upstream").priority()).isEqualTo(Route.DEFAULT_PRIORITY);
        assertThat(new Route("r-1", "x", 9, Route.MAX_TTL_SECS).ttlSecs()).isEqualTo(4_294_967_295L);
        assertThatThrownBy(() -> new Route("", "x", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route("has space", "x", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route("r", "x", 10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route("r", "x", -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route("r", "x", 0, Route.MAX_TTL_SECS + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route("r".repeat(64), "x", 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givenKleeneTables_whenCombined_thenUndefinedPropagates() {
        TriState t = TriState.TRUE;
        TriState f = TriState.FALSE;
        TriState u = TriState.UNDEFINED;

        assertThat(new TriState[] {t.and(t), t.and(f), t.and(u), f.and(u), u.and(u)})
                .containsExactly(t, f, u, f, u);
        assertThat(new TriState[] {t.or(f), f.or(f), f.or(u), t.or(u), u.or(u)})
                .containsExactly(t, f, u, t, u);
        assertThat(new TriState[] {t.not(), f.not(), u.not()}).containsExactly(f, t, u);
        assertThat(u.word()).isEqualTo("undefined");
    }
}
