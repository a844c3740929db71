package io.outpost.routing.internal;

import io.outpost.common.lex.Token;
import java.util.Set;

/** The compile-time operand checks, with messages that say what would have been accepted. */
final class TypeRules {

    private TypeRules() {
    }

    /** {@code = != <> < <= > >=}: both sides of one type, or a {@code $body} value and a concrete type. */
    static void comparable(Token op, Node left, Node right) {
        if (!Type.compatible(left.type, right.type)) {
            throw Errors.syntax(op.start(), "cannot compare " + left.type.label() + " with " + right.type.label()
                    + " using '" + op.text() + "'" + hint(left.type, right.type));
        }
    }

    /** {@code + - * / %} and unary minus need numbers; {@code ||} needs strings. */
    static void operand(Token op, Node operand, Type wanted, String side) {
        if (operand.type != wanted && operand.type != Type.ANY) {
            throw Errors.syntax(op.start(), "operator '" + op.text() + "' needs " + wanted.label() + " operands, but the "
                    + side + " operand is " + article(operand.type) + hint(operand.type, wanted));
        }
    }

    /** AND, OR and NOT need true/false operands (null, undefined and $body values are allowed). */
    static void logical(Token op, int operandStart, Node operand) {
        if (!operand.type.isLogical()) {
            String extra = op.isWord("NOT") ? "; NOT binds tighter than comparisons: write NOT (a = b)" : "";
            throw Errors.syntax(operandStart, op.text().toUpperCase(java.util.Locale.ROOT)
                    + " needs true or false, but this operand is " + article(operand.type) + extra);
        }
    }

    /** {@code a ?? b}: like a comparison, but an undefined left side is allowed. */
    static Type coalesce(Token op, Node left, Node right) {
        if (left.type != Type.UNDEFINED && !Type.compatible(left.type, right.type)) {
            throw Errors.syntax(op.start(), "operator '??' needs operands of one type, got "
                    + left.type.label() + " and " + right.type.label());
        }
        if (left.type == Type.ANY || right.type == Type.ANY) {
            return Type.ANY;
        }
        return left.type == Type.UNDEFINED ? right.type : left.type;
    }

    /** A function argument of a type the function does not take. */
    static void argument(Builtins.Builtin f, int index, int argStart, Node arg) {
        Set<Type> allowed = f.param(index);
        if (!allowed.contains(arg.type) && arg.type != Type.ANY) {
            StringBuilder names = new StringBuilder();
            for (Type t : allowed) {
                names.append(names.length() == 0 ? "" : " or ").append(article(t));
            }
            throw Errors.syntax(argStart, "argument " + (index + 1) + " of " + f.name() + "() must be " + names
                    + ", got " + article(arg.type) + hint(arg.type, allowed.iterator().next()));
        }
    }

    static String article(Type t) {
        return t == Type.NULL || t == Type.UNDEFINED ? t.label() : "a " + t.label();
    }

    private static String hint(Type a, Type b) {
        if ((a == Type.STRING && b == Type.NUMBER) || (a == Type.NUMBER && b == Type.STRING)) {
            return " (properties are strings: convert with as_number(...))";
        }
        if (a == Type.UNDEFINED || b == Type.UNDEFINED) {
            return " (test for a missing value with is_defined(...))";
        }
        if (a == Type.NULL || b == Type.NULL) {
            return " (properties are never null: test $body values or use is_null(...))";
        }
        return "";
    }
}
