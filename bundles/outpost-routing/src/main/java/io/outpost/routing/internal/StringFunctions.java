package io.outpost.routing.internal;

import java.util.List;
import java.util.Locale;

/** The string functions of the route language; strings are compared ordinally (case-sensitive). */
final class StringFunctions {

    private StringFunctions() {
    }

    static void register() {
        var str = Builtins.str();
        var num = Builtins.num();
        Builtins.add("concat", Type.STRING, List.of(str), 2, Integer.MAX_VALUE, (Calls.FN) StringFunctions::concat);
        Builtins.add("contains", Type.BOOL, List.of(str, str), 2, 2, (Calls.F2) (a, b) ->
                a instanceof String s && b instanceof String t ? (Object) s.contains(t) : Values.UNDEFINED);
        Builtins.add("starts_with", Type.BOOL, List.of(str, str), 2, 2, (Calls.F2) (a, b) ->
                a instanceof String s && b instanceof String t ? (Object) s.startsWith(t) : Values.UNDEFINED);
        Builtins.add("ends_with", Type.BOOL, List.of(str, str), 2, 2, (Calls.F2) (a, b) ->
                a instanceof String s && b instanceof String t ? (Object) s.endsWith(t) : Values.UNDEFINED);
        Builtins.add("index_of", Type.NUMBER, List.of(str, str), 2, 2, (Calls.F2) (a, b) ->
                a instanceof String s && b instanceof String t ? (Object) (double) s.indexOf(t) : Values.UNDEFINED);
        Builtins.add("length", Type.NUMBER, List.of(str), 1, 1, (Calls.F1) a ->
                a instanceof String s ? (Object) (double) s.length() : Values.UNDEFINED);
        Builtins.add("lower", Type.STRING, List.of(str), 1, 1, (Calls.F1) a ->
                a instanceof String s ? s.toLowerCase(Locale.ROOT) : Values.UNDEFINED);
        Builtins.add("upper", Type.STRING, List.of(str), 1, 1, (Calls.F1) a ->
                a instanceof String s ? s.toUpperCase(Locale.ROOT) : Values.UNDEFINED);
        Builtins.add("substring", Type.STRING, List.of(str, num, num), 2, 3, (Calls.F3) StringFunctions::substring);
    }

    private static Object concat(Object[] args) {
        StringBuilder b = new StringBuilder();
        for (Object a : args) {
            if (!(a instanceof String s)) {
                return Values.UNDEFINED;
            }
            b.append(s);
        }
        return b.toString();
    }

    /**
     * {@code substring(s, start)} with 0 <= start <= length(s), or {@code substring(s, start, length)} with
     * 0 <= start < length(s) and 0 <= length <= length(s) - start; fractions are truncated; anything
     * else is UNDEFINED. {@code len} is {@code null} for the two-argument form.
     */
    private static Object substring(Object a, Object start, Object len) {
        if (!(a instanceof String s) || !(start instanceof Double st)) {
            return Values.UNDEFINED;
        }
        double from = st;
        if (len == null) {
            return from >= 0 && from <= s.length() ? s.substring((int) from) : Values.UNDEFINED;
        }
        if (!(len instanceof Double l)) {
            return Values.UNDEFINED;
        }
        double count = l;
        boolean valid = from >= 0 && from < s.length() && count >= 0 && count <= s.length() - from;
        return valid ? s.substring((int) from, (int) from + (int) count) : Values.UNDEFINED;
    }
}
