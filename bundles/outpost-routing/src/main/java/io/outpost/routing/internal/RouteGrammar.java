package io.outpost.routing.internal;

import io.outpost.common.lex.Lexer;
import io.outpost.common.lex.Syntax;
import io.outpost.routing.ParsedRoute;
import io.outpost.routing.RouteParser;
import io.outpost.routing.RouteSink;
import io.outpost.routing.RouteSource;
import java.util.Locale;

/**
 * The route level of the language: {@code [SELECT *] FROM <source> [WHERE <condition>] INTO <sink>}, with
 * case-insensitive keywords. The source path and the sink are read character by character by
 * {@link SourcePaths} and {@link Sinks}; the condition by {@link ConditionParser}.
 */
public final class RouteGrammar {

    private final String text;
    private int pos;
    private int lastWordStart;

    private RouteGrammar(String text) {
        this.text = text;
    }

    public static ParsedRoute parseRoute(String route) {
        checkLength(route, "route");
        return new RouteGrammar(route).route();
    }

    public static CompiledCondition parseCondition(String condition) {
        checkLength(condition, "condition");
        Lexer lexer = new Lexer(condition, 0, Syntax.ROUTE_CONDITION, Errors.LEX);
        Node root = new ConditionParser(lexer, false, true).parse();
        return new CompiledCondition(condition.trim(), root);
    }

    private static void checkLength(String text, String what) {
        if (text == null) {
            throw Errors.syntax(0, "the " + what + " is missing");
        }
        if (text.length() > RouteParser.MAX_LENGTH) {
            throw Errors.tooComplex(RouteParser.MAX_LENGTH, "the " + what + " is longer than "
                    + RouteParser.MAX_LENGTH + " characters");
        }
    }

    private ParsedRoute route() {
        String first = word();
        if (first.equalsIgnoreCase("SELECT")) {
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != '*') {
                throw Errors.syntax(pos, "expected '*' after SELECT");
            }
            pos++;
            if (!word().equalsIgnoreCase("FROM")) {
                throw Errors.syntax(lastWordStart, "expected FROM after SELECT *");
            }
        } else if (!first.equalsIgnoreCase("FROM")) {
            throw Errors.syntax(lastWordStart, text.isBlank() ? "the route is empty: expected SELECT or FROM"
                    : "expected SELECT or FROM at the start of the route");
        }
        skipSpace();
        RouteSource source = SourcePaths.parse(text, pos);
        pos = SourcePaths.end(text, pos);
        String next = word();
        String condition = null;
        CompiledCondition compiled = CompiledCondition.ALWAYS;
        if (next.equalsIgnoreCase("WHERE")) {
            int condStart = pos;
            Lexer lexer = new Lexer(text, pos, Syntax.ROUTE_CONDITION, Errors.LEX);
            Node root = new ConditionParser(lexer, true,
                    source.kind() == RouteSource.Kind.TWIN_CHANGE_NOTIFICATIONS).parse();
            pos = lexer.position();
            condition = text.substring(condStart, pos).trim();
            compiled = new CompiledCondition(condition, root);
            next = word();
        } else if (!next.equalsIgnoreCase("INTO")) {
            throw Errors.syntax(lastWordStart, "expected WHERE or INTO after the source " + source.text());
        }
        if (!next.equalsIgnoreCase("INTO")) {
            throw Errors.syntax(lastWordStart, "expected INTO after condition");
        }
        skipSpace();
        RouteSink sink = Sinks.parse(text, pos);
        pos = Sinks.end(text, pos);
        skipSpace();
        if (pos < text.length()) {
            throw Errors.syntax(pos, "unexpected text after the sink " + sink.endpointId());
        }
        return new ParsedRoute(source, condition, sink, compiled);
    }

    /** Skips whitespace and reads a run of letters (a keyword candidate); empty at a non-letter. */
    private String word() {
        skipSpace();
        lastWordStart = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++;
        }
        return text.substring(lastWordStart, pos).toUpperCase(Locale.ROOT);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
