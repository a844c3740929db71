package io.outpost.routing.internal;

import io.outpost.common.lex.Lexer;
import io.outpost.common.lex.Token;
import io.outpost.common.lex.Token.Kind;
import io.outpost.routing.RouteParser;
import io.outpost.routing.internal.Operators.Arith;
import io.outpost.routing.internal.Operators.Compare;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser and compiler of conditions. Precedence, lowest first, as in Azure's grammar:
 * {@code ??}, OR, AND, {@code = != <>}, {@code < <= > >=}, {@code + - ||}, {@code * / %}, then the prefix
 * operators {@code -} and NOT, which bind tightest. Binary operators associate to the left. Types are
 * checked while parsing, so the result is ready to evaluate.
 */
final class ConditionParser {

    /** The most levels of operators an expression may have, so evaluation never exhausts the stack. */
    static final int MAX_HEIGHT = 512;

    private final Lexer lexer;
    private final boolean inRoute;
    private final boolean allowTwinChange;
    private int depth;

    ConditionParser(Lexer lexer, boolean inRoute, boolean allowTwinChange) {
        this.lexer = lexer;
        this.inRoute = inRoute;
        this.allowTwinChange = allowTwinChange;
    }

    /** Parses a whole condition, stopping before INTO in a route, at the end of the text otherwise. */
    Node parse() {
        Token first = lexer.peek();
        if (atEnd(first)) {
            throw Errors.syntax(first.start(), inRoute ? "expected a condition after WHERE" : "expected a condition");
        }
        Node n = coalesce();
        Token t = lexer.peek();
        if (!atEnd(t)) {
            if (t.kind() == Kind.RPAREN) {
                throw Errors.syntax(t.start(), "unmatched ')'");
            }
            throw Errors.syntax(t.start(), (inRoute ? "expected INTO after condition" : "expected an operator or the end of the condition")
                    + ", found " + t.describe(Errors.END));
        }
        if (n.type == Type.STRING || n.type == Type.NUMBER) {
            throw Errors.syntax(first.start(), "a condition must be true or false, but this expression is " + TypeRules.article(n.type));
        }
        return n;
    }

    boolean atEnd(Token t) {
        return t.kind() == Kind.END || (inRoute && t.isWord("INTO"));
    }

    private Node coalesce() {
        Node left = or();
        while (lexer.peek().kind() == Kind.COALESCE) {
            Token op = lexer.next();
            Node right = or();
            left = checked(new Operators.CoalesceNode(TypeRules.coalesce(op, left, right), left, right), op);
        }
        return left;
    }

    private Node or() {
        return logic(false);
    }

    private Node logic(boolean and) {
        String word = and ? "AND" : "OR";
        int start = lexer.peek().start();
        Node first = and ? equality() : logic(true);
        if (!lexer.peek().isWord(word)) {
            return first;
        }
        List<Node> operands = new ArrayList<>();
        operands.add(first);
        Token op = lexer.peek();
        TypeRules.logical(op, start, first);
        while (lexer.peek().isWord(word)) {
            lexer.next();
            int s = lexer.peek().start();
            Node next = and ? equality() : logic(true);
            TypeRules.logical(op, s, next);
            operands.add(next);
        }
        return checked(new Operators.LogicNode(and, operands), op);
    }

    private Node equality() {
        Node left = comparison();
        while (lexer.peek().kind() == Kind.EQ || lexer.peek().kind() == Kind.NE) {
            Token op = lexer.next();
            Node right = comparison();
            TypeRules.comparable(op, left, right);
            left = checked(new Operators.CompareNode(op.kind() == Kind.EQ ? Compare.EQ : Compare.NE, left, right), op);
        }
        return left;
    }

    private Node comparison() {
        Node left = additive();
        while (true) {
            Token op = lexer.peek();
            Compare c = switch (op.kind()) {
                case LT -> Compare.LT;
                case LE -> Compare.LE;
                case GT -> Compare.GT;
                case GE -> Compare.GE;
                default -> null;
            };
            if (c == null) {
                return left;
            }
            lexer.next();
            Node right = additive();
            TypeRules.comparable(op, left, right);
            left = checked(new Operators.CompareNode(c, left, right), op);
        }
    }

    private Node additive() {
        Node left = multiplicative();
        while (true) {
            Token op = lexer.peek();
            if (op.kind() != Kind.PLUS && op.kind() != Kind.MINUS && op.kind() != Kind.CONCAT) {
                return left;
            }
            lexer.next();
            Node right = multiplicative();
            if (op.kind() == Kind.CONCAT) {
                TypeRules.operand(op, left, Type.STRING, "left");
                TypeRules.operand(op, right, Type.STRING, "right");
                left = checked(new Operators.ConcatNode(left, right), op);
            } else {
                left = arith(op, op.kind() == Kind.PLUS ? Arith.ADD : Arith.SUB, left, right);
            }
        }
    }

    private Node multiplicative() {
        Node left = unary();
        while (true) {
            Token op = lexer.peek();
            Arith a = switch (op.kind()) {
                case STAR -> Arith.MUL;
                case SLASH -> Arith.DIV;
                case PERCENT -> Arith.MOD;
                default -> null;
            };
            if (a == null) {
                return left;
            }
            lexer.next();
            left = arith(op, a, left, unary());
        }
    }

    private Node arith(Token op, Arith a, Node left, Node right) {
        TypeRules.operand(op, left, Type.NUMBER, "left");
        TypeRules.operand(op, right, Type.NUMBER, "right");
        return checked(new Operators.ArithNode(a, left, right), op);
    }

    private Node unary() {
        Token t = lexer.peek();
        boolean minus = t.kind() == Kind.MINUS;
        if (!minus && !t.isWord("NOT")) {
            return new Primaries(this, lexer).primary();
        }
        lexer.next();
        enter(t);
        int start = lexer.peek().start();
        Node operand = unary();
        leave();
        if (!minus) {
            TypeRules.logical(t, start, operand);
            return checked(new Operators.NotNode(operand), t);
        }
        TypeRules.operand(t, operand, Type.NUMBER, "negated");
        if (operand instanceof Node.Literal lit && lit.value instanceof Double d) {
            return new Node.Literal(Type.NUMBER, -d);
        }
        return checked(new Operators.NegateNode(operand), t);
    }

    /** Parses a complete sub-expression (inside parentheses or as a function argument). */
    Node expression() {
        return coalesce();
    }

    boolean allowTwinChange() {
        return allowTwinChange;
    }

    void enter(Token at) {
        if (++depth > RouteParser.MAX_NESTING) {
            throw Errors.tooComplex(at.start(), "expression nested deeper than " + RouteParser.MAX_NESTING + " levels");
        }
    }

    void leave() {
        depth--;
    }

    static Node checked(Node n, Token at) {
        if (n.height > MAX_HEIGHT) {
            throw Errors.tooComplex(at.start(), "expression has more than " + MAX_HEIGHT + " levels of operators");
        }
        return n;
    }
}
