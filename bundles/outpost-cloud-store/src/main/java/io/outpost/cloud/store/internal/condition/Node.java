package io.outpost.cloud.store.internal.condition;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.common.lex.Token.Kind;
import java.math.BigDecimal;
import java.util.List;

/** The compiled form of a target condition: a tree evaluated against a twin with three-valued logic. */
sealed interface Node {

    Tri eval(TwinView twin);

    record Or(Node left, Node right) implements Node {
        @Override
        public Tri eval(TwinView twin) {
            return left.eval(twin).or(right.eval(twin));
        }
    }

    record And(Node left, Node right) implements Node {
        @Override
        public Tri eval(TwinView twin) {
            return left.eval(twin).and(right.eval(twin));
        }
    }

    record Not(Node operand) implements Node {
        @Override
        public Tri eval(TwinView twin) {
            return operand.eval(twin).not();
        }
    }

    record Defined(PropertyPath path) implements Node {
        @Override
        public Tri eval(TwinView twin) {
            return Tri.of(path.resolve(twin) != null);
        }
    }

    /** {@code path op literal}, or with the operands swapped when the literal was written first. */
    record Compare(PropertyPath path, Kind op, Object literal) implements Node {
        @Override
        public Tri eval(TwinView twin) {
            JsonNode value = path.resolve(twin);
            Integer order = value == null ? null : compare(value, literal);
            if (order == null) {
                return Tri.UNDEFINED;
            }
            if (literal instanceof Boolean && op != Kind.EQ && op != Kind.NE) {
                return Tri.UNDEFINED;
            }
            return Tri.of(switch (op) {
                case EQ -> order == 0;
                case NE -> order != 0;
                case LT -> order < 0;
                case LE -> order <= 0;
                case GT -> order > 0;
                case GE -> order >= 0;
                default -> throw new IllegalStateException("not a comparison: " + op);
            });
        }
    }

    record In(PropertyPath path, List<Object> literals) implements Node {
        public In {
            literals = List.copyOf(literals);
        }

        @Override
        public Tri eval(TwinView twin) {
            JsonNode value = path.resolve(twin);
            if (value == null) {
                return Tri.UNDEFINED;
            }
            return Tri.of(literals.stream().anyMatch(l -> Integer.valueOf(0).equals(compare(value, l))));
        }
    }

    /** The order of a twin value against a literal, or {@code null} when their types differ. */
    static Integer compare(JsonNode value, Object literal) {
        if (literal instanceof String s && value.isTextual()) {
            return Integer.signum(value.textValue().compareTo(s));
        }
        if (literal instanceof BigDecimal n && value.isNumber()) {
            return value.decimalValue().compareTo(n);
        }
        if (literal instanceof Boolean b && value.isBoolean()) {
            return Boolean.compare(value.booleanValue(), b);
        }
        return null;
    }
}
