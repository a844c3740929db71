package io.outpost.routing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tricky message bodies and a canonical rendering of what the body reader makes of them: keys sorted,
 * numbers by their exact double (so -0.0 differs from 0.0), strings with every character outside printable
 * ASCII as a {@code \\uXXXX} escape, {@code undefined} for a body that cannot be queried.
 */
final class JsonCorpus {

    private JsonCorpus() {
    }

    static List<String> bodies() {
        List<String> b = new ArrayList<>(List.of(
                // documents and whitespace
                "", " ", "{}", "[]", " {\"a\":1} ", "\t\r\n{\"a\":1}\n", "{\"a\":1}\f", "\u00a0{}", "\ufeff{}",
                "{\"a\":1} x", "{\"a\":1}{}", "1 2", "{\"a\":{\"b\":{\"c\":[1,[2,{\"d\":3}]]}}}",
                "{\"a\":1,\"a\":2}", "{\"a\" : [ 1 , 2 ] , \"b\" : { } }",
                // scalars at the root
                "true", "false", "null", "\"s\"", "1", "truex", "nul", "True", "NULL",
                // numbers
                "0", "-0", "-0.0", "0.0", "1.5", "-1.5e3", "1E+05", "1e-5", "1e400", "-1e400", "4.9e-324", "1e-400",
                "9007199254740993", "123456789012345678901234567890", "0.1", "0.30000000000000004",
                "1.0000000000000001", "2.2250738585072011e-308", "01", "-01", "00", "1.", ".5", "+1", "-", "1e",
                "1e+", "1.e5", "0x10", "NaN", "Infinity", "-Infinity", "1-2", "[1-2]", "1.5.5", "1ee5", "1x", "1{",
                "[1,]", "[,1]", "[1 2]", "{\"a\":1,}", "{,}", "{\"a\"}", "{\"a\":}", "{a:1}", "{'a':1}",
                "[1,2", "{\"a\":1", "[", "{", "]", "}", "[[]]", "[{}]", "{\"\":1}",
                // strings and escapes
                "\"\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u0041\\u00e9\\u4e2d\"", "\"\\u00E9\"",
                "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"", "\"\\u+041\"", "\"\\u-001\"",
                "\"\\u004\"", "\"\\u00zz\"", "\"\\x41\"", "\"\\'\"", "\"\\a\"", "\"a\nb\"", "\"a\tb\"", "\"a\u0001\"",
                "\"a\u007fb\"", "\"\u00e9\u4e2d\ud83d\ude00\"", "\"unterminated", "\"a\\\"", "{\"k\\u0041\":1}",
                "{\"a\\nb\":\"c\\\"d\"}", "\"\\/\"", "\"a\" \"b\"",
                // comments and other non-JSON
                "{\"a\":1}//c", "/*c*/{}", "# c\n{}", "<xml/>", "hello", "'s'", "\u0000", "{\"a\":1}\u0000"));
        b.add("[".repeat(256) + "]".repeat(256));
        b.add("[".repeat(257) + "]".repeat(257));
        b.add("[".repeat(258) + "]".repeat(258));
        b.add("[".repeat(256) + "1" + "]".repeat(256));
        b.add("[".repeat(257) + "1" + "]".repeat(257));
        b.add("{\"a\":".repeat(256) + "1" + "}".repeat(256));
        b.add("{\"a\":".repeat(257) + "1" + "}".repeat(257));
        b.add("{\"a\":".repeat(257) + "{}" + "}".repeat(257));
        b.add("[".repeat(2000) + "]".repeat(2000));
        b.add("1" + "0".repeat(1200));
        b.add("0." + "1".repeat(1200));
        b.add("\"" + "x".repeat(100_000) + "\"");
        b.add("{\"" + "k".repeat(60_000) + "\":1}");
        return b;
    }

    static String render(Object v) {
        if (v == Values.UNDEFINED) {
            return "undefined";
        }
        if (v == Values.NULL) {
            return "null";
        }
        if (v instanceof Double d) {
            return d.toString();
        }
        if (v instanceof String s) {
            StringBuilder out = new StringBuilder("\"");
            s.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\'
                    ? String.valueOf((char) c) : String.format("\\u%04x", c)));
            return out.append('"').toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            new TreeMap<>(map).forEach((k, x) -> out.append(out.length() > 1 ? "," : "")
                    .append(render(k)).append(':').append(render(x)));
            return out.append('}').toString();
        }
        if (v instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            list.forEach(x -> out.append(out.length() > 1 ? "," : "").append(render(x)));
            return out.append(']').toString();
        }
        return String.valueOf(v);
    }
}
