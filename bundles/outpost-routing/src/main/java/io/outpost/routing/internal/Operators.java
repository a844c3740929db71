package io.outpost.routing.internal;

import io.outpost.routing.TriState;
import java.util.List;

/** Nodes of the unary and binary operators. Types were checked when compiling; values are checked here. */
final class Operators {

    enum Compare { EQ, NE, LT, LE, GT, GE }

    enum Arith { ADD, SUB, MUL, DIV, MOD }

    private Operators() {
    }

    /**
     * Comparison with three-valued results: UNDEFINED with an undefined operand; null equals only null and
     * is not ordered against other values; values of different types are unequal and not ordered.
     */
    static Object compare(Compare op, Object a, Object b) {
        if (a == Values.UNDEFINED || b == Values.UNDEFINED) {
            return Values.UNDEFINED;
        }
        boolean aNull = a == Values.NULL;
        boolean bNull = b == Values.NULL;
        if (aNull || bNull || a.getClass() != b.getClass()) {
            boolean bothNull = aNull && bNull;
            return switch (op) {
                case EQ -> bothNull;
                case NE -> !bothNull;
                case LE, GE -> bothNull ? Boolean.TRUE : Values.UNDEFINED;
                case LT, GT -> bothNull ? Boolean.FALSE : Values.UNDEFINED;
            };
        }
        int c = order(a, b);
        return switch (op) {
            case EQ -> c == 0;
            case NE -> c != 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
        };
    }

    private static int order(Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) {
            double l = x;
            double r = y;
            return l < r ? -1 : (l == r ? 0 : 1);
        }
        if (a instanceof String x) {
            return x.compareTo((String) b);
        }
        return Boolean.compare((Boolean) a, (Boolean) b);
    }

    static final class CompareNode extends Node {
        private final Compare op;
        private final Node left;
        private final Node right;

        CompareNode(Compare op, Node left, Node right) {
            super(Type.BOOL, left, right);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(EvalContext ctx) {
            return compare(op, left.eval(ctx), right.eval(ctx));
        }
    }

    static final class ArithNode extends Node {
        private final Arith op;
        private final Node left;
        private final Node right;

        ArithNode(Arith op, Node left, Node right) {
            super(Type.NUMBER, left, right);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(EvalContext ctx) {
            if (left.eval(ctx) instanceof Double a && right.eval(ctx) instanceof Double b) {
                double x = a;
                double y = b;
                return Values.number(switch (op) {
                    case ADD -> x + y;
                    case SUB -> x - y;
                    case MUL -> x * y;
                    case DIV -> x / y;
                    case MOD -> x % y;
                });
            }
            return Values.UNDEFINED;
        }
    }

    static final class NegateNode extends Node {
        private final Node operand;

        NegateNode(Node operand) {
            super(Type.NUMBER, operand);
            this.operand = operand;
        }

        @Override
        Object eval(EvalContext ctx) {
            return operand.eval(ctx) instanceof Double d ? (Object) (-d) : Values.UNDEFINED;
        }
    }

    /** {@code a || b}: string concatenation; UNDEFINED unless both are strings. */
    static final class ConcatNode extends Node {
        private final Node left;
        private final Node right;

        ConcatNode(Node left, Node right) {
            super(Type.STRING, left, right);
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(EvalContext ctx) {
            if (left.eval(ctx) instanceof String a && right.eval(ctx) instanceof String b) {
                return a.concat(b);
            }
            return Values.UNDEFINED;
        }
    }

    /** {@code a ?? b}: {@code a} unless it is undefined, then {@code b}. */
    static final class CoalesceNode extends Node {
        private final Node left;
        private final Node right;

        CoalesceNode(Type type, Node left, Node right) {
            super(type, left, right);
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(EvalContext ctx) {
            Object v = left.eval(ctx);
            return v != Values.UNDEFINED ? v : right.eval(ctx);
        }
    }

    static final class NotNode extends Node {
        private final Node operand;

        NotNode(Node operand) {
            super(Type.BOOL, operand);
            this.operand = operand;
        }

        @Override
        Object eval(EvalContext ctx) {
            return Values.bool(Values.truth(operand.eval(ctx)).not());
        }
    }

    /** AND or OR over two or more operands, with Kleene logic; stops once the result is decided. */
    static final class LogicNode extends Node {
        private final boolean and;
        private final Node[] operands;

        LogicNode(boolean and, List<Node> operands) {
            super(Type.BOOL, operands.toArray(new Node[0]));
            this.and = and;
            this.operands = operands.toArray(new Node[0]);
        }

        @Override
        Object eval(EvalContext ctx) {
            TriState decisive = and ? TriState.FALSE : TriState.TRUE;
            TriState result = and ? TriState.TRUE : TriState.FALSE;
            for (Node n : operands) {
                TriState t = Values.truth(n.eval(ctx));
                if (t == decisive) {
                    return Values.bool(decisive);
                }
                result = and ? result.and(t) : result.or(t);
            }
            return Values.bool(result);
        }
    }
}
