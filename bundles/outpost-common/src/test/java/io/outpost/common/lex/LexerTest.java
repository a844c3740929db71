package io.outpost.common.lex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.outpost.common.lex.Token.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LexerTest {

    /** The error a test language throws: the offset and the detail, as the lexer gave them. */
    static final class LexFailure extends RuntimeException {
        final int offset;

        LexFailure(int offset, String detail) {
            super(detail);
            this.offset = offset;
        }
    }

    private static final LexErrors ERRORS = LexFailure::new;

    private static List<Token> tokens(String text, Syntax syntax) {
        Lexer lexer = new Lexer(text, 0, syntax, ERRORS);
        List<Token> out = new ArrayList<>();
        Token t;
        do {
            t = lexer.next();
            out.add(t);
        } while (t.kind() != Kind.END);
        return out;
    }

    private static List<Kind> kinds(String text, Syntax syntax) {
        return tokens(text, syntax).stream().map(Token::kind).toList();
    }

    private static LexFailure failure(String text, Syntax syntax) {
        LexFailure f = catchThrowableOfType(LexFailure.class, () -> tokens(text, syntax));
        assertThat(f).as("must be refused: %s", text).isNotNull();
        return f;
    }

    @Test
    void givenRouteCondition_whenTokenized_thenKindsTextsAndPositions() {
        List<Token> t = tokens("$body.temp >= 1.5 AND a.b-c <> 'x' || {$x[1]} ?? (-2 % 0x1F)", Syntax.ROUTE_CONDITION);

        assertThat(t).extracting(Token::kind).containsExactly(Kind.DOLLAR_NAME, Kind.GE, Kind.NUMBER, Kind.NAME,
                Kind.NAME, Kind.NE, Kind.STRING, Kind.CONCAT, Kind.LBRACE, Kind.DOLLAR_NAME, Kind.RBRACE,
                Kind.COALESCE, Kind.LPAREN, Kind.MINUS, Kind.NUMBER, Kind.PERCENT, Kind.NUMBER, Kind.RPAREN, Kind.END);
        assertThat(t).extracting(Token::text).startsWith("$body.temp", ">=", "1.5", "AND", "a.b-c", "<>", "'x'");
        assertThat(t).extracting(Token::start).startsWith(0, 11, 14, 18, 22, 28, 31);
        assertThat(t.get(2).value()).isEqualTo(1.5);
        assertThat(t.get(16).value()).isEqualTo(31.0);
        assertThat(t.get(3).isWord("and")).isTrue();
        assertThat(t.get(18).start()).isEqualTo(60);
        assertThat(t.get(18).describe("end of text")).isEqualTo("end of text");
    }

    @Test
    void givenTargetCondition_whenTokenized_thenDotsBracketsAndSignedExactNumbers() {
        List<Token> t = tokens("properties.reported.$x-y IN [-1.50, 'a'] OR tags.n<2e3", Syntax.TARGET_CONDITION);

        assertThat(t).extracting(Token::kind).containsExactly(Kind.NAME, Kind.DOT, Kind.NAME, Kind.DOT, Kind.NAME,
                Kind.NAME, Kind.LBRACKET, Kind.NUMBER, Kind.COMMA, Kind.STRING, Kind.RBRACKET, Kind.NAME, Kind.NAME,
                Kind.DOT, Kind.NAME, Kind.LT, Kind.NUMBER, Kind.END);
        assertThat(t.get(4).text()).isEqualTo("$x-y");
        assertThat(t.get(7).value()).isEqualTo(new BigDecimal("-1.50"));
        assertThat(t.get(16).value()).isEqualTo(new BigDecimal("2e3"));
        assertThat(t.get(16).start()).isEqualTo(51);
        assertThat(t.get(16).column()).isEqualTo(52);
    }

    @Test
    void givenEscapes_whenTokenized_thenValuesAreDecodedAndTextIsAsWritten() {
        Token route = tokens("'a\\'b\\\"c\\\\d\\u0041'", Syntax.ROUTE_CONDITION).get(0);
        Token target = tokens("'it''s \\q'", Syntax.TARGET_CONDITION).get(0);
        Token dq = tokens("\"say 'hi'\"", Syntax.TARGET_CONDITION).get(0);

        assertThat(route.value()).isEqualTo("a'b\"c\\dA");
        assertThat(route.text()).isEqualTo("'a\\'b\\\"c\\\\d\\u0041'");
        assertThat(target.value()).isEqualTo("it's q");
        assertThat(dq.value()).isEqualTo("say 'hi'");
    }

    @Test
    void givenInvalidEscapeInRoute_whenTokenized_thenRefusedAtTheBackslash() {
        LexFailure f = failure("a = 'x\\n'", Syntax.ROUTE_CONDITION);

        assertThat(f.offset).isEqualTo(6);
        assertThat(f.getMessage()).startsWith("invalid escape in string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a = 'open", "a = \"open", "a = 'x\\'"})
    void givenUnterminatedString_whenTokenized_thenRefusedAtTheOpeningQuote(String text) {
        for (Syntax syntax : List.of(Syntax.ROUTE_CONDITION, Syntax.TARGET_CONDITION)) {
            LexFailure f = failure(text, syntax);

            assertThat(f.offset).isEqualTo(4);
            assertThat(f.getMessage()).isEqualTo("unterminated string: expected a closing " + text.charAt(4));
        }
    }

    @Test
    void givenBadNumbers_whenTokenized_thenRefusedAtTheOffendingCharacter() {
        LexFailure letter = failure("x = 12abc", Syntax.TARGET_CONDITION);
        LexFailure point = failure("x = 1. ", Syntax.ROUTE_CONDITION);
        LexFailure exponent = failure("x = 1e+", Syntax.TARGET_CONDITION);
        LexFailure hex = failure("x = 0x1234567890ABCDEF0", Syntax.ROUTE_CONDITION);

        assertThat(letter.offset).isEqualTo(6);
        assertThat(letter.getMessage()).startsWith("unexpected character 'a' in a number");
        assertThat(point.offset).isEqualTo(6);
        assertThat(point.getMessage()).isEqualTo("expected a digit after the decimal point");
        assertThat(exponent.offset).isEqualTo(7);
        assertThat(exponent.getMessage()).isEqualTo("expected the exponent's digits");
        assertThat(hex.offset).isEqualTo(4);
        assertThat(hex.getMessage()).startsWith("hexadecimal literal too large");
    }

    @Test
    void givenLanguageNamingTheNumber_whenBadNumber_thenItsBadNumberIsUsed() {
        LexErrors namingTheNumber = new LexErrors() {
            @Override
            public RuntimeException at(int offset, String detail) {
                return new LexFailure(offset, detail);
            }

            @Override
            public RuntimeException badNumber(int start, int offset, String literal, String detail) {
                return new LexFailure(start, "invalid number '" + literal + "'");
            }
        };
        Lexer lexer = new Lexer("a = 5abc", 0, Syntax.ROUTE_CONDITION, namingTheNumber);
        lexer.next();
        lexer.next();
        LexFailure g = catchThrowableOfType(LexFailure.class, lexer::next);

        assertThat(g.offset).isEqualTo(4);
        assertThat(g.getMessage()).isEqualTo("invalid number '5a'");
    }

    @Test
    void givenCharactersOutsideALanguage_whenTokenized_thenRefusedAsUnexpected() {
        LexFailure plus = failure("tags.a + 1", Syntax.TARGET_CONDITION);
        LexFailure pipe = failure("tags.a | 1", Syntax.TARGET_CONDITION);
        LexFailure bracket = failure("a = [1]", Syntax.ROUTE_CONDITION);
        LexFailure dollar = failure("$ = 1", Syntax.ROUTE_CONDITION);

        assertThat(plus.offset).isEqualTo(7);
        assertThat(plus.getMessage()).isEqualTo("unexpected character '+'");
        assertThat(pipe.offset).isEqualTo(7);
        assertThat(bracket.getMessage()).isEqualTo("unexpected character '['");
        assertThat(dollar.getMessage()).isEqualTo("expected a name after '$'");
    }

    @Test
    void givenCommentsInRoute_whenTokenized_thenSkippedAndUnterminatedOneRefused() {
        assertThat(kinds("a /* note */ = 1", Syntax.ROUTE_CONDITION)).containsExactly(Kind.NAME, Kind.EQ, Kind.NUMBER,
                Kind.END);
        assertThat(failure("a = 1 /* open", Syntax.ROUTE_CONDITION).offset).isEqualTo(6);
        assertThat(failure("tags.a = 1 /* no", Syntax.TARGET_CONDITION).getMessage())
                .isEqualTo("unexpected character '/'");
    }

    @Test
    void givenLexerStartedMidText_whenSeekingAndPeeking_thenPositionsAreOffsetsInTheWholeText() {
        Lexer lexer = new Lexer("FROM /x WHERE a = 1 INTO y", 14, Syntax.ROUTE_CONDITION, ERRORS);

        assertThat(lexer.peek().start()).isEqualTo(14);
        assertThat(lexer.position()).isEqualTo(14);
        lexer.next();
        lexer.next();
        lexer.next();
        assertThat(lexer.peek().isWord("into")).isTrue();
        assertThat(lexer.position()).isEqualTo(20);
        lexer.seek(0);
        assertThat(lexer.next().text()).isEqualTo("FROM");
    }

    /** Input both languages read: bare names, strings, numbers, comparisons, parentheses, commas, keywords. */
    @ParameterizedTest
    @ValueSource(strings = {
        "NOT (level = 'high' AND count >= 10) OR name <> 'it\\'s'",
        "a != 1.5e3, b < 0.25, c <= 7, d > \"x\\\\y\", e = true",
        "  is_defined ( x )\tOR\ny IN ('a','b')"})
    void givenInputInBothLanguages_whenTokenized_thenSameTokens(String text) {
        List<Token> route = tokens(text, Syntax.ROUTE_CONDITION);
        List<Token> target = tokens(text, Syntax.TARGET_CONDITION);

        assertThat(target).extracting(Token::kind).isEqualTo(route.stream().map(Token::kind).toList());
        assertThat(target).extracting(Token::text).isEqualTo(route.stream().map(Token::text).toList());
        assertThat(target).extracting(Token::start).isEqualTo(route.stream().map(Token::start).toList());
        for (int i = 0; i < route.size(); i++) {
            Object r = route.get(i).value();
            Object t = target.get(i).value();
            if (r instanceof Double d) {
                assertThat(((BigDecimal) t).compareTo(BigDecimal.valueOf(d))).as("number %s", route.get(i)).isZero();
            } else {
                assertThat(t).isEqualTo(r);
            }
        }
    }
}
