package io.outpost.routing.internal;

import io.outpost.common.lex.Lexer;
import io.outpost.common.lex.Token;
import io.outpost.common.lex.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses the operands of a condition: literals, names, {@code {$name}}, parentheses and function calls. */
final class Primaries {

    private static final List<String> TWIN_PREFIXES = List.of("properties.desired.", "properties.reported.", "tags.");
    private static final List<String> RESERVED = List.of("and", "or", "not", "into");

    private final ConditionParser parser;
    private final Lexer lexer;

    Primaries(ConditionParser parser, Lexer lexer) {
        this.parser = parser;
        this.lexer = lexer;
    }

    Node primary() {
        Token t = lexer.peek();
        if (parser.atEnd(t) || t.kind() == Kind.RPAREN || t.kind() == Kind.COMMA || isOperator(t)) {
            throw Errors.syntax(t.start(), "expected a value, a name, a function call or '(', found " + t.describe(Errors.END));
        }
        lexer.next();
        return switch (t.kind()) {
            case NUMBER -> new Node.Literal(Type.NUMBER, t.value());
            case STRING -> new Node.Literal(Type.STRING, t.value());
            case DOLLAR_NAME -> Names.dollar(t, false);
            case LBRACE -> braced(t);
            case LPAREN -> parenthesized(t);
            case NAME -> name(t);
            default -> throw Errors.syntax(t.start(), "unexpected " + t.describe(Errors.END));
        };
    }

    private boolean isOperator(Token t) {
        return t.kind() != Kind.NUMBER && t.kind() != Kind.STRING && t.kind() != Kind.DOLLAR_NAME
                && t.kind() != Kind.LBRACE && t.kind() != Kind.LPAREN && t.kind() != Kind.NAME;
    }

    private Node braced(Token open) {
        parser.enter(open);
        Token name = lexer.next();
        if (name.kind() != Kind.DOLLAR_NAME) {
            throw Errors.syntax(name.start(), "expected a system property such as $contentType after '{', found " + name.describe(Errors.END));
        }
        Token close = lexer.next();
        if (close.kind() != Kind.RBRACE) {
            throw Errors.syntax(close.start(), "expected '}' after " + name.text() + ", found " + close.describe(Errors.END));
        }
        parser.leave();
        return Names.dollar(name, true);
    }

    private Node parenthesized(Token open) {
        parser.enter(open);
        Node inner = parser.expression();
        Token close = lexer.next();
        if (close.kind() != Kind.RPAREN) {
            throw Errors.syntax(close.start(), "expected ')' to close '(' at column " + open.column() + ", found " + close.describe(Errors.END));
        }
        parser.leave();
        return inner;
    }

    private Node name(Token t) {
        String word = t.text().toLowerCase(Locale.ROOT);
        switch (word) {
            case "true":
                return new Node.Literal(Type.BOOL, Boolean.TRUE);
            case "false":
                return new Node.Literal(Type.BOOL, Boolean.FALSE);
            case "null":
                return new Node.Literal(Type.NULL, Values.NULL);
            case "undefined":
                return new Node.Literal(Type.UNDEFINED, Values.UNDEFINED);
            default:
                break;
        }
        if (RESERVED.contains(word)) {
            throw Errors.syntax(t.start(), "expected a value, a name, a function call or '(', found " + t.describe(Errors.END));
        }
        if (lexer.peek().kind() == Kind.LPAREN) {
            return call(t, lexer.next());
        }
        return new Names.AppProperty(t.text());
    }

    private Node call(Token name, Token open) {
        if (name.text().equalsIgnoreCase(Builtins.TWIN_CHANGE_INCLUDES)) {
            return twinChange(name, open);
        }
        Builtins.Builtin f = Builtins.find(name.text());
        if (f == null) {
            throw Errors.syntax(name.start(), "unknown function '" + name.text() + "'; the functions are " + Builtins.names());
        }
        parser.enter(open);
        List<Node> args = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        if (lexer.peek().kind() != Kind.RPAREN) {
            do {
                starts.add(lexer.peek().start());
                args.add(parser.expression());
            } while (lexer.peek().kind() == Kind.COMMA && lexer.next() != null);
        }
        Token close = lexer.next();
        if (close.kind() != Kind.RPAREN) {
            throw Errors.syntax(close.start(), "expected ',' or ')' in the call of " + f.name() + "(), found " + close.describe(Errors.END));
        }
        parser.leave();
        if (args.size() < f.min() || args.size() > f.max()) {
            throw Errors.syntax(name.start(), "function " + f.name() + "() takes " + arity(f) + ", got " + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            TypeRules.argument(f, i, starts.get(i), args.get(i));
        }
        return ConditionParser.checked(Calls.create(f, args.toArray(new Node[0])), name);
    }

    private static String arity(Builtins.Builtin f) {
        if (f.max() == Integer.MAX_VALUE) {
            return "at least " + f.min() + " arguments";
        }
        String n = f.min() == f.max() ? String.valueOf(f.min()) : f.min() + " or " + f.max();
        return n + (f.max() == 1 ? " argument" : " arguments");
    }

    /** {@code twin_change_includes(properties.desired.x)}: the argument is a JSON path, not an expression. */
    private Node twinChange(Token name, Token open) {
        if (!parser.allowTwinChange()) {
            throw Errors.syntax(name.start(), "twin_change_includes() is only allowed in routes FROM /twinChangeNotifications");
        }
        String text = lexer.text();
        int start = lexer.position();
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < text.length() && text.charAt(end) != ')' && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        String path = text.substring(start, end);
        if (TWIN_PREFIXES.stream().noneMatch(p -> path.regionMatches(true, 0, p, 0, p.length()) && path.length() > p.length())) {
            throw Errors.syntax(start, "expected a twin path starting with properties.desired., properties.reported. or tags.");
        }
        BodyPath compiled = BodyPath.compile(path, start);
        lexer.seek(end);
        Token close = lexer.next();
        if (close.kind() != Kind.RPAREN) {
            throw Errors.syntax(close.start(), "expected ')' after the twin path, found " + close.describe(Errors.END));
        }
        return new Calls.TwinChangeIncludes(compiled);
    }
}
