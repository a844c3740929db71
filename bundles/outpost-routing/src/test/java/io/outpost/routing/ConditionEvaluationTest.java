package io.outpost.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class ConditionEvaluationTest {

    @ParameterizedTest(name = "{0} on {1} is {2}")
    @CsvFileSource(resources = "conditions.csv", delimiter = ';', quoteCharacter = '`',
            ignoreLeadingAndTrailingWhitespace = false)
    void givenConditionAndMessage_whenEvaluated_thenThreeValuedResult(String condition, String message, TriState expected) {
        Condition compiled = RouteParser.parseCondition(condition);

        assertThat(compiled.evaluate(TestMessages.get(message))).isEqualTo(expected);
        assertThat(compiled.text()).isEqualTo(condition.trim());
    }

    @ParameterizedTest(name = "{0} on {1} is {2}")
    @CsvFileSource(resources = "conditions.csv", delimiter = ';', quoteCharacter = '`',
            ignoreLeadingAndTrailingWhitespace = false)
    void givenConditionInRoute_whenMessageMatchesSource_thenRouteFiresOnlyOnTrue(String condition, String message,
            TriState expected) {
        String from = message.equals("twin") ? "/twinChangeNotifications" : "/*";
        CompiledRoute route = CompiledRoute.compile(Route.of("r1", "FROM " + from + " WHERE " + condition + " INTO $upstream"));

        assertThat(route.evaluate(TestMessages.get(message))).isEqualTo(expected);
        assertThat(route.matches(TestMessages.get(message))).isEqualTo(expected == TriState.TRUE);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvFileSource(resources = "conditions-invalid.csv", delimiter = ';', quoteCharacter = '`',
            ignoreLeadingAndTrailingWhitespace = false)
    void givenInvalidCondition_whenCompiled_thenErrorNamesColumnAndProblem(String condition, int column, String gist) {
        RouteSyntaxException e = catchThrowableOfType(RouteSyntaxException.class, () -> RouteParser.parseCondition(condition));

        assertThat(e).as("condition must be refused: %s", condition).isNotNull();
        assertThat(e.column()).as(e.getMessage()).isEqualTo(column);
        assertThat(e.getMessage()).startsWith("column " + column + ": ").contains(gist);
    }

    @Test
    void givenSameCompiledCondition_whenEvaluatedFromManyThreads_thenEveryResultIsCorrect() throws Exception {
        Condition c = RouteParser.parseCondition("$body.temp > 30 AND level = 'high'");
        RouteMessage hot = message("{\"temp\": 31}", "high");
        RouteMessage cold = message("{\"temp\": 29}", "high");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    boolean ok = true;
                    for (int n = 0; n < 5_000; n++) {
                        ok &= c.evaluate(hot) == TriState.TRUE && c.evaluate(cold) == TriState.FALSE;
                    }
                    return ok;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenBodyWithByteOrderMark_whenQueried_thenMarkIsSkipped() {
        byte[] json = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        RouteMessage m = new RouteMessage(MessageSource.device("d"),
                Map.of("contentType", "application/json", "contentEncoding", "utf-8"), Map.of(), withBom);

        assertThat(RouteParser.parseCondition("$body.a = 1").evaluate(m)).isEqualTo(TriState.TRUE);
    }

    @Test
    void givenBigEndianUtf16BodyWithMark_whenQueried_thenDecoded() {
        byte[] text = "{\"a\": 1}".getBytes(StandardCharsets.UTF_16);
        RouteMessage m = new RouteMessage(MessageSource.device("d"),
                Map.of("contentType", "application/json", "contentEncoding", "utf-16"), Map.of(), text);

        assertThat(RouteParser.parseCondition("$body.a = 1").evaluate(m)).isEqualTo(TriState.TRUE);
    }

    @Test
    void givenBodyInEachSupportedEncoding_whenQueried_thenSameValues() {
        String json = "{\"t\": -0.5e1, \"s\": \"caf\u00e9 \\\"q\\\" \\u00e9\\ud83d\\ude00\"}";
        Condition c = RouteParser.parseCondition("$body.t = -5 AND $body.s = 'caf\u00e9 \"q\" \u00e9\ud83d\ude00'");
        byte[][] bodies = {
            json.getBytes(StandardCharsets.UTF_8),
            json.getBytes(StandardCharsets.UTF_16LE),
            json.getBytes(StandardCharsets.UTF_16),
            json.getBytes(java.nio.charset.Charset.forName("UTF-32LE")),
            concat(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF}, json.getBytes(java.nio.charset.Charset.forName("UTF-32BE"))),
        };
        String[] encodings = {"utf-8", "utf-16", "UTF-16", "utf-32", " Utf-32 "};
        for (int i = 0; i < bodies.length; i++) {
            RouteMessage m = new RouteMessage(MessageSource.device("d"),
                    Map.of("contentType", "application/json", "contentEncoding", encodings[i]), Map.of(), bodies[i]);
            assertThat(c.evaluate(m)).as(encodings[i]).isEqualTo(TriState.TRUE);
        }
    }

    @Test
    void givenMalformedUtf8InString_whenQueried_thenReplacementCharacterAndBodyStillRead() {
        byte[] body = {'{', '"', 's', '"', ':', '"', 'a', (byte) 0xC3, '"', ',', '"', 'n', '"', ':', '1', '}'};
        RouteMessage m = new RouteMessage(MessageSource.device("d"),
                Map.of("contentType", "application/json", "contentEncoding", "utf-8"), Map.of(), body);

        assertThat(RouteParser.parseCondition("$body.s = 'a\ufffd' AND $body.n = 1").evaluate(m)).isEqualTo(TriState.TRUE);
    }

    @Test
    void givenBodyThatIsNotJson_whenQueried_thenPathsUndefined() {
        for (String text : List.of("{\"a\": 1,}", "{\"a\": 01}", "{\"a\": 1} trailing", "{'a': 1}", "{\"a\": NaN}",
                "{\"a\": \"\\u+041\"}", "/*c*/{\"a\": 1}", "")) {
            RouteMessage m = new RouteMessage(MessageSource.device("d"),
                    Map.of("contentType", "application/json", "contentEncoding", "utf-8"), Map.of(),
                    text.getBytes(StandardCharsets.UTF_8));
            assertThat(RouteParser.parseCondition("$body.a = 1").evaluate(m)).as(text).isEqualTo(TriState.UNDEFINED);
            assertThat(RouteParser.parseCondition("is_defined($body.a)").evaluate(m)).as(text).isEqualTo(TriState.FALSE);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void givenBodyNestedDeeperThanReaderLimit_whenQueried_thenUndefinedNotStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        RouteMessage m = new RouteMessage(MessageSource.device("d"),
                Map.of("contentType", "application/json", "contentEncoding", "utf-8"), Map.of(),
                deep.getBytes(StandardCharsets.UTF_8));

        assertThat(RouteParser.parseCondition("is_defined($body.a)").evaluate(m)).isEqualTo(TriState.FALSE);
    }

    @Test
    void givenPropertyNameInOtherCase_whenEvaluated_thenPropertyFoundButValueComparedExactly() {
        RouteMessage m = new RouteMessage(MessageSource.module("m", "o"), Map.of("connectionModuleId", "m"),
                Map.of("processingPath", "hot"), null);

        assertThat(RouteParser.parseCondition("PROCESSINGPATH = 'hot'").evaluate(m)).isEqualTo(TriState.TRUE);
        assertThat(RouteParser.parseCondition("processingpath = 'HOT'").evaluate(m)).isEqualTo(TriState.FALSE);
        assertThat(RouteParser.parseCondition("{$CONNECTIONMODULEID} = 'm'").evaluate(m)).isEqualTo(TriState.TRUE);
        assertThat(RouteParser.parseCondition("$ConnectionModuleId = 'm'").evaluate(m)).isEqualTo(TriState.TRUE);
        assertThat(CompiledRoute.compile(Route.of("hot", "FROM /messages/* WHERE PROCESSINGPATH = 'hot' INTO $upstream"))
                .matches(m)).isTrue();
    }

    @Test
    void givenSystemPropertyNamesInOtherCaseInMessage_whenEvaluated_thenFoundAndBodyQueried() {
        RouteMessage m = new RouteMessage(MessageSource.device("d"),
                Map.of("ContentType", "application/json", "CONTENTENCODING", "utf-8", "MessageId", "m1"), Map.of(),
                "{\"a\": 1}".getBytes(StandardCharsets.UTF_8));

        assertThat(RouteParser.parseCondition("{$messageId} = 'm1'").evaluate(m)).isEqualTo(TriState.TRUE);
        assertThat(RouteParser.parseCondition("$body.a = 1").evaluate(m)).isEqualTo(TriState.TRUE);
    }

    @Test
    void givenNamesDifferingOnlyInCase_whenEvaluated_thenExactNameWinsElseFirstInOrdinalOrder() {
        RouteMessage m = new RouteMessage(MessageSource.device("d"), Map.of(),
                Map.of("Level", "a", "LEVEL", "b"), null);

        assertThat(RouteParser.parseCondition("Level = 'a'").evaluate(m)).isEqualTo(TriState.TRUE);
        assertThat(RouteParser.parseCondition("LEVEL = 'b'").evaluate(m)).isEqualTo(TriState.TRUE);
        assertThat(RouteParser.parseCondition("level = 'b'").evaluate(m)).isEqualTo(TriState.TRUE);
        assertThat(RouteParser.parseCondition("is_defined(other)").evaluate(m)).isEqualTo(TriState.FALSE);
    }

    private static RouteMessage message(String body, String level) {
        return new RouteMessage(MessageSource.module("m", "o"),
                Map.of("contentType", "application/json", "contentEncoding", "utf-8"), Map.of("level", level),
                body.getBytes(StandardCharsets.UTF_8));
    }
}
