package io.outpost.cloud.store.internal.condition;

import io.outpost.cloud.TargetConditionException;
import io.outpost.cloud.store.internal.condition.PropertyPath.Root;
import io.outpost.common.lex.Lexer;
import io.outpost.common.lex.Syntax;
import io.outpost.common.lex.Token;
import io.outpost.common.lex.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser of the target-condition language:
 * <pre>
 * condition  := or END
 * or         := and ( OR and )*
 * and        := unary ( AND unary )*
 * unary      := NOT unary | primary
 * primary    := '(' or ')' | IS_DEFINED '(' path ')' | path compare literal | path IN '[' literal (',' literal)* ']'
 *             | literal compare path
 * path       := deviceId | tags '.' name ( '.' name )* | properties '.' reported '.' name ( '.' name )*
 * literal    := string | number | true | false
 * </pre>
 * Keywords are case-insensitive; property names are not.
 */
final class Parser {

    static final int MAX_DEPTH = 32;

    /** How error messages name the end of the condition. */
    private static final String END = "end of condition";

    private final Lexer lexer;
    private int depth;

    private Parser(String text) {
        this.lexer = new Lexer(text, 0, Syntax.TARGET_CONDITION,
                (offset, detail) -> new TargetConditionException(offset + 1, detail));
    }

    static Node parse(String text) {
        Parser p = new Parser(text);
        if (p.lexer.peek().kind() == Kind.END) {
            throw error(p.lexer.peek(), "expected a condition");
        }
        Node node = p.or();
        Token end = p.lexer.next();
        if (end.kind() != Kind.END) {
            throw error(end, "expected AND, OR or the end of the condition, found " + end.describe(END));
        }
        return node;
    }

    private Node or() {
        Node left = and();
        while (lexer.peek().isWord("OR")) {
            lexer.next();
            left = new Node.Or(left, and());
        }
        return left;
    }

    private Node and() {
        Node left = unary();
        while (lexer.peek().isWord("AND")) {
            lexer.next();
            left = new Node.And(left, unary());
        }
        return left;
    }

    private Node unary() {
        Token t = lexer.peek();
        if (++depth > MAX_DEPTH) {
            throw error(t, "the condition is nested deeper than " + MAX_DEPTH + " levels");
        }
        try {
            if (t.isWord("NOT")) {
                lexer.next();
                return new Node.Not(unary());
            }
            return primary();
        } finally {
            depth--;
        }
    }

    private Node primary() {
        Token t = lexer.next();
        if (t.kind() == Kind.LPAREN) {
            Node inner = or();
            expect(Kind.RPAREN, "expected ')' to close the '(' at column " + (t.start() + 1));
            return inner;
        }
        if (t.isWord("IS_DEFINED")) {
            expect(Kind.LPAREN, "expected '(' after IS_DEFINED");
            PropertyPath path = path(lexer.next());
            expect(Kind.RPAREN, "expected ')' after the property of IS_DEFINED");
            return new Node.Defined(path);
        }
        Object literal = literal(t);
        if (literal != null) {
            Token op = comparison(t.text());
            return new Node.Compare(path(lexer.next()), flip(op.kind()), literal);
        }
        PropertyPath path = path(t);
        if (lexer.peek().isWord("IN")) {
            lexer.next();
            return new Node.In(path, list());
        }
        Token op = comparison(path.text());
        Token value = lexer.next();
        Object right = literal(value);
        if (right == null) {
            throw error(value, "expected a string, number or boolean after " + op.text()
                    + (value.isWord("null") ? " (for a missing property use NOT IS_DEFINED(...))" : ""));
        }
        return new Node.Compare(path, op.kind(), right);
    }

    private Token comparison(String after) {
        Token op = lexer.next();
        if (!op.isComparison()) {
            throw error(op, "expected a comparison (=, !=, <>, <, <=, >, >=) or IN after " + after + ", found "
                    + op.describe(END));
        }
        return op;
    }

    private List<Object> list() {
        expect(Kind.LBRACKET, "expected '[' after IN");
        List<Object> values = new ArrayList<>();
        while (true) {
            Token t = lexer.next();
            Object value = literal(t);
            if (value == null) {
                throw error(t, "expected a string, number or boolean in the IN list, found " + t.describe(END));
            }
            values.add(value);
            Token sep = lexer.next();
            if (sep.kind() == Kind.RBRACKET) {
                return values;
            }
            if (sep.kind() != Kind.COMMA) {
                throw error(sep, "expected ',' or ']' in the IN list, found " + sep.describe(END));
            }
        }
    }

    private PropertyPath path(Token first) {
        if (first.kind() != Kind.NAME) {
            throw error(first, "expected a property (tags.<name>, properties.reported.<name> or deviceId), found "
                    + first.describe(END));
        }
        if (first.text().equals("deviceId")) {
            return new PropertyPath(Root.DEVICE_ID, List.of(), "deviceId");
        }
        Root root;
        String prefix;
        if (first.text().equals("tags")) {
            root = Root.TAGS;
            prefix = "tags";
        } else if (first.text().equals("properties")) {
            expect(Kind.DOT, "expected '.reported' after 'properties'");
            Token section = lexer.next();
            if (section.kind() != Kind.NAME || !section.text().equals("reported")) {
                throw error(section, "expected 'reported' after 'properties.', found " + section.describe(END)
                        + " (conditions read tags and reported properties only)");
            }
            root = Root.REPORTED;
            prefix = "properties.reported";
        } else {
            throw error(first, "unknown property '" + first.text()
                    + "': expected tags.<name>, properties.reported.<name> or deviceId");
        }
        return segments(root, prefix);
    }

    private PropertyPath segments(Root root, String prefix) {
        List<String> segments = new ArrayList<>();
        StringBuilder text = new StringBuilder(prefix);
        do {
            expect(Kind.DOT, "expected '.' and a property name after '" + text + "'");
            Token name = lexer.next();
            if (name.kind() != Kind.NAME) {
                throw error(name, "expected a property name after '" + text + ".', found " + name.describe(END));
            }
            segments.add(name.text());
            text.append('.').append(name.text());
        } while (lexer.peek().kind() == Kind.DOT);
        return new PropertyPath(root, segments, text.toString());
    }

    private static Object literal(Token t) {
        if (t.kind() == Kind.STRING || t.kind() == Kind.NUMBER) {
            return t.value();
        }
        if (t.isWord("true") || t.isWord("false")) {
            return Boolean.valueOf(t.text().toLowerCase(java.util.Locale.ROOT));
        }
        return null;
    }

    private static Kind flip(Kind op) {
        return switch (op) {
            case LT -> Kind.GT;
            case LE -> Kind.GE;
            case GT -> Kind.LT;
            case GE -> Kind.LE;
            default -> op;
        };
    }

    private void expect(Kind kind, String message) {
        Token t = lexer.next();
        if (t.kind() != kind) {
            throw error(t, message + ", found " + t.describe(END));
        }
    }

    private static TargetConditionException error(Token at, String detail) {
        return new TargetConditionException(at.column(), detail);
    }
}
