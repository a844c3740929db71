package io.outpost.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class RouteParserTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvFileSource(resources = "routes-valid.csv", delimiter = ';', quoteCharacter = '`', nullValues = "-",
            ignoreLeadingAndTrailingWhitespace = false)
    void givenValidRoute_whenParsed_thenSourceConditionAndSinkAreAsWritten(String route, String sourceKind,
            String module, String output, String condition, String sinkKind, String sinkModule, String sinkInput) {
        ParsedRoute parsed = RouteParser.parse(route);

        assertThat(parsed.source().kind().id()).isEqualTo(sourceKind);
        assertThat(parsed.source().module()).isEqualTo(module);
        assertThat(parsed.source().output()).isEqualTo(output);
        assertThat(parsed.condition()).isEqualTo(condition);
        assertThat(parsed.compiled().text()).isEqualTo(condition == null ? "true" : condition);
        assertThat(parsed.sink().kind().id()).isEqualTo(sinkKind);
        assertThat(parsed.sink().module()).isEqualTo(sinkModule);
        assertThat(parsed.sink().input()).isEqualTo(sinkInput);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvFileSource(resources = "routes-invalid.csv", delimiter = ';', quoteCharacter = '`',
            ignoreLeadingAndTrailingWhitespace = false)
    void givenInvalidRoute_whenParsed_thenErrorNamesColumnAndWhatWasExpected(String route, int column, String gist) {
        RouteSyntaxException e = catchThrowableOfType(RouteSyntaxException.class, () -> RouteParser.parse(route));

        assertThat(e).as("route must be refused: %s", route).isNotNull();
        assertThat(e.column()).as(e.getMessage()).isEqualTo(column);
        assertThat(e.getMessage()).startsWith("column " + column + ": ").contains(gist);
        assertThat(e.detail()).contains(gist);
        assertThat(e.errorCode()).isEqualTo(RoutingErrorCode.ROUTE_SYNTAX);
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void givenRouteOverSeveralLines_whenParsed_thenLineBreaksAreWhitespace() {
        ParsedRoute parsed = RouteParser.parse("FROM /messages/*\n\tWHERE a = 'b'\r\nINTO $upstream\n");

        assertThat(parsed.condition()).isEqualTo("a = 'b'");
        assertThat(parsed.sink()).isEqualTo(RouteSink.upstream());
    }

    @Test
    void givenNullRoute_whenParsed_thenSyntaxErrorAtColumnOne() {
        assertThatThrownBy(() -> RouteParser.parse(null)).isInstanceOf(RouteSyntaxException.class)
                .hasMessage("column 1: the route is missing");
    }

    @Test
    void givenRouteLongerThanLimit_whenParsed_thenRefusedWithoutReadingIt() {
        String route = "FROM /messages/* WHERE a = '" + "x".repeat(RouteParser.MAX_LENGTH) + "' INTO $upstream";

        RouteSyntaxException e = catchThrowableOfType(RouteSyntaxException.class, () -> RouteParser.parse(route));

        assertThat(e.errorCode()).isEqualTo(RoutingErrorCode.ROUTE_TOO_COMPLEX);
        assertThat(e.column()).isEqualTo(RouteParser.MAX_LENGTH + 1);
        assertThat(e.getMessage()).contains("longer than 65536 characters");
    }

    @Test
    void givenRouteOfExactlyTheLimit_whenParsed_thenAccepted() {
        String head = "FROM /messages/* WHERE a = '";
        String tail = "' INTO $upstream";
        String route = head + "x".repeat(RouteParser.MAX_LENGTH - head.length() - tail.length()) + tail;

        assertThat(route).hasSize(RouteParser.MAX_LENGTH);
        assertThat(RouteParser.parse(route).condition()).startsWith("a = 'xxx");
    }

    @Test
    void givenParenthesesNestedDeeperThanLimit_whenParsed_thenRefusedAtTheFirstTooDeepParenthesis() {
        int n = 10_000;
        String route = "FROM /* WHERE " + "(".repeat(n) + "true" + ")".repeat(n) + " INTO $upstream";

        RouteSyntaxException e = catchThrowableOfType(RouteSyntaxException.class, () -> RouteParser.parse(route));

        assertThat(e.errorCode()).isEqualTo(RoutingErrorCode.ROUTE_TOO_COMPLEX);
        assertThat(e.column()).isEqualTo("FROM /* WHERE ".length() + RouteParser.MAX_NESTING + 1);
        assertThat(e.getMessage()).contains("nested deeper than 128 levels");
    }

    @Test
    void givenNestingAtTheLimit_whenParsed_thenAccepted() {
        int n = RouteParser.MAX_NESTING;
        String route = "FROM /* WHERE " + "(".repeat(n) + "true" + ")".repeat(n) + " INTO $upstream";

        assertThat(RouteParser.parse(route).compiled().evaluate(TestMessages.get("empty"))).isEqualTo(TriState.TRUE);
    }

    @Test
    void givenDeeplyNestedNotsFunctionsAndBraces_whenParsed_thenRefusedNotStackOverflow() {
        String nots = "NOT ".repeat(1_000) + "true";
        String calls = "abs(".repeat(1_000) + "1" + ")".repeat(1_000) + " = 1";
        String minus = "-".repeat(1_000) + "1 = 1";

        for (String condition : new String[] {nots, calls, minus}) {
            assertThatThrownBy(() -> RouteParser.parseCondition(condition))
                    .isInstanceOf(RouteSyntaxException.class).hasMessageContaining("nested deeper than 128 levels");
        }
    }

    @Test
    void givenVeryLongOperatorChain_whenParsed_thenRefusedBeforeEvaluationCouldOverflow() {
        String sum = "1" + " + 1".repeat(5_000) + " > 0";

        assertThatThrownBy(() -> RouteParser.parseCondition(sum)).isInstanceOf(RouteSyntaxException.class)
                .hasMessageContaining("more than 512 levels of operators");
    }

    @Test
    void givenLongAndOrChains_whenParsed_thenAcceptedBecauseTheyAreFlat() {
        String ors = "$connectionDeviceId = 'd0'" + " OR $connectionDeviceId = 'd'".repeat(2_000);

        Condition c = RouteParser.parseCondition(ors);

        assertThat(c.evaluate(TestMessages.get("plain"))).isEqualTo(TriState.FALSE);
        assertThat(c.evaluate(TestMessages.get("empty"))).isEqualTo(TriState.UNDEFINED);
    }

    @Test
    void givenConditionWithoutBodyQuery_whenCompiled_thenItDoesNotReadTheBody() {
        assertThat(RouteParser.parseCondition("a = 'b' AND {$contentType} = 'x'").readsBody()).isFalse();
        assertThat(RouteParser.parseCondition("a = 'b' OR $body.x = 1").readsBody()).isTrue();
        assertThat(RouteParser.parseCondition("twin_change_includes(tags.x)").readsBody()).isTrue();
        assertThat(RouteParser.parse("FROM /* INTO $upstream").compiled().readsBody()).isFalse();
    }
}
