package io.outpost.routing.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Pattern;

/**
 * The built-in functions, by lower-case name (calls ignore case). Each declares its arity and the types
 * its arguments may have, checked when compiling; at run time an argument of the wrong type (possible only
 * through a {@code $body} value) or undefined gives UNDEFINED. {@code twin_change_includes} takes a JSON
 * path rather than an expression and is compiled by the parser itself.
 */
final class Builtins {

    /** Arguments of any type. */
    static final Set<Type> ANYTHING = EnumSet.allOf(Type.class);
    static final String TWIN_CHANGE_INCLUDES = "twin_change_includes";

    private static final Set<Type> NUM = EnumSet.of(Type.NUMBER);
    private static final Set<Type> STR = EnumSet.of(Type.STRING);
    private static final Pattern NUMBER_TEXT = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

    /**
     * One function: its result type, the allowed types of each parameter (the last one repeats for
     * variadic functions), its arity bounds, and its implementation.
     */
    record Builtin(String name, Type result, List<Set<Type>> params, int min, int max, Calls.Impl impl) {
        Set<Type> param(int i) {
            return params.get(Math.min(i, params.size() - 1));
        }
    }

    private static final Map<String, Builtin> TABLE = new TreeMap<>();

    static {
        numeric("abs", Math::abs);
        numeric("ceiling", Math::ceil);
        numeric("exp", Math::exp);
        numeric("floor", Math::floor);
        numeric("sign", Math::signum);
        numeric("sqrt", Math::sqrt);
        numeric("square", x -> x * x);
        add("power", Type.NUMBER, List.of(NUM, NUM), 2, 2, (Calls.F2) (a, b) ->
                a instanceof Double x && b instanceof Double y ? Values.number(Math.pow(x, y)) : Values.UNDEFINED);
        add("as_number", Type.NUMBER, List.of(EnumSet.of(Type.STRING, Type.NUMBER)), 1, 1, (Calls.F1) Builtins::asNumber);
        add("is_bool", Type.BOOL, List.of(ANYTHING), 1, 1, (Calls.F1) a -> a instanceof Boolean);
        add("is_defined", Type.BOOL, List.of(ANYTHING), 1, 1, (Calls.F1) a -> a != Values.UNDEFINED);
        add("is_null", Type.BOOL, List.of(ANYTHING), 1, 1, (Calls.F1) a -> a == Values.NULL);
        add("is_number", Type.BOOL, List.of(ANYTHING), 1, 1, (Calls.F1) a -> a instanceof Double);
        add("is_string", Type.BOOL, List.of(ANYTHING), 1, 1, (Calls.F1) a -> a instanceof String);
        StringFunctions.register();
    }

    private Builtins() {
    }

    static Builtin find(String name) {
        return TABLE.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every function name, for error messages and documentation. */
    static String names() {
        return String.join(", ", TABLE.keySet()) + ", " + TWIN_CHANGE_INCLUDES;
    }

    static void add(String name, Type result, List<Set<Type>> params, int min, int max, Calls.Impl impl) {
        TABLE.put(name, new Builtin(name, result, params, min, max, impl));
    }

    static Set<Type> num() {
        return NUM;
    }

    static Set<Type> str() {
        return STR;
    }

    private static void numeric(String name, DoubleUnaryOperator f) {
        add(name, Type.NUMBER, List.of(NUM), 1, 1, (Calls.F1) a ->
                a instanceof Double d ? Values.number(f.applyAsDouble(d)) : Values.UNDEFINED);
    }

    /** A number as is; a string holding a decimal number (surrounding spaces allowed) as that number. */
    private static Object asNumber(Object a) {
        if (a instanceof Double) {
            return a;
        }
        if (a instanceof String s) {
            String t = s.trim();
            return NUMBER_TEXT.matcher(t).matches() ? Values.number(Double.parseDouble(t)) : Values.UNDEFINED;
        }
        return Values.UNDEFINED;
    }
}
