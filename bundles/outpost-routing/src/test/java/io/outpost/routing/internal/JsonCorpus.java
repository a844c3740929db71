package io.outpost.routing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tricky message bodies and what the body reader makes of them, rendered canonically by {@link #render}:
 * keys sorted, numbers as their exact double (so -0.0 differs from 0.0), strings with every character
 * outside printable ASCII as a {@code \\uXXXX} escape, {@code undefined} for a body that cannot be queried.
 * The expectations were recorded from the hand-written reader that {@link JsonTree} replaced; they differ
 * only where that reader took a sign in a {@code \\u} escape ({@code "\\u+041"} as {@code "A"}), which is
 * not JSON.
 */
final class JsonCorpus {

    /** One body and the rendering of what reading it gives. */
    record Case(String body, String expected) {
    }

    private JsonCorpus() {
    }

    static List<Case> cases() {
        List<Case> b = new ArrayList<>(List.of(
                // documents and whitespace; a byte order mark is removed before the text is read
                // (EvalContext), so one left in the text is not JSON
                c("", "undefined"),
                c(" ", "undefined"),
                c("{}", "{}"),
                c("[]", "[]"),
                c(" {\"a\":1} ", "{\"a\":1.0}"),
                c("\t\r\n{\"a\":1}\n", "{\"a\":1.0}"),
                c("{\"a\":1}\u000c", "undefined"),
                c("\u00a0{}", "undefined"),
                c("\ufeff{}", "undefined"),
                c("{\"a\":1} x", "undefined"),
                c("{\"a\":1}{}", "undefined"),
                c("1 2", "undefined"),
                c("{\"a\":{\"b\":{\"c\":[1,[2,{\"d\":3}]]}}}", "{\"a\":{\"b\":{\"c\":[1.0,[2.0,{\"d\":3.0}]]}}}"),
                c("{\"a\":1,\"a\":2}", "{\"a\":2.0}"),
                c("{\"a\" : [ 1 , 2 ] , \"b\" : { } }", "{\"a\":[1.0,2.0],\"b\":{}}"),
                // scalars at the root
                c("true", "true"),
                c("false", "false"),
                c("null", "null"),
                c("\"s\"", "\"s\""),
                c("1", "1.0"),
                c("truex", "undefined"),
                c("nul", "undefined"),
                c("True", "undefined"),
                c("NULL", "undefined"),
                // numbers: the literal's text through Double.valueOf; JSON's grammar only
                c("0", "0.0"),
                c("-0", "-0.0"),
                c("-0.0", "-0.0"),
                c("0.0", "0.0"),
                c("1.5", "1.5"),
                c("-1.5e3", "-1500.0"),
                c("1E+05", "100000.0"),
                c("1e-5", "1.0E-5"),
                c("1e400", "Infinity"),
                c("-1e400", "-Infinity"),
                c("4.9e-324", "4.9E-324"),
                c("1e-400", "0.0"),
                c("9007199254740993", "9.007199254740992E15"),
                c("123456789012345678901234567890", "1.2345678901234568E29"),
                c("0.1", "0.1"),
                c("0.30000000000000004", "0.30000000000000004"),
                c("1.0000000000000001", "1.0"),
                c("2.2250738585072011e-308", "2.225073858507201E-308"),
                c("01", "undefined"),
                c("-01", "undefined"),
                c("00", "undefined"),
                c("1.", "undefined"),
                c(".5", "undefined"),
                c("+1", "undefined"),
                c("-", "undefined"),
                c("1e", "undefined"),
                c("1e+", "undefined"),
                c("1.e5", "undefined"),
                c("0x10", "undefined"),
                c("NaN", "undefined"),
                c("Infinity", "undefined"),
                c("-Infinity", "undefined"),
                c("1-2", "undefined"),
                c("[1-2]", "undefined"),
                c("1.5.5", "undefined"),
                c("1ee5", "undefined"),
                c("1x", "undefined"),
                c("1{", "undefined"),
                c("[1,]", "undefined"),
                c("[,1]", "undefined"),
                c("[1 2]", "undefined"),
                c("{\"a\":1,}", "undefined"),
                c("{,}", "undefined"),
                c("{\"a\"}", "undefined"),
                c("{\"a\":}", "undefined"),
                c("{a:1}", "undefined"),
                c("{'a':1}", "undefined"),
                c("[1,2", "undefined"),
                c("{\"a\":1", "undefined"),
                c("[", "undefined"),
                c("{", "undefined"),
                c("]", "undefined"),
                c("}", "undefined"),
                c("[[]]", "[[]]"),
                c("[{}]", "[{}]"),
                c("{\"\":1}", "{\"\":1.0}"),
                // strings and escapes; lone surrogates are kept as they are
                c("\"\"", "\"\""),
                c("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\u0022\\u005c/\\u0008\\u000c\\u000a\\u000d\\u0009\""),
                c("\"\\u0041\\u00e9\\u4e2d\"", "\"A\\u00e9\\u4e2d\""),
                c("\"\\u00E9\"", "\"\\u00e9\""),
                c("\"\\ud83d\\ude00\"", "\"\\ud83d\\ude00\""),
                c("\"\\ud800\"", "\"\\ud800\""),
                c("\"\\udc00x\"", "\"\\udc00x\""),
                c("\"\\u0000\"", "\"\\u0000\""),
                c("\"\\u+041\"", "undefined"),
                c("\"\\u-001\"", "undefined"),
                c("\"\\u004\"", "undefined"),
                c("\"\\u00zz\"", "undefined"),
                c("\"\\x41\"", "undefined"),
                c("\"\\'\"", "undefined"),
                c("\"\\a\"", "undefined"),
                c("\"a\nb\"", "undefined"),
                c("\"a\tb\"", "undefined"),
                c("\"a\u0001\"", "undefined"),
                c("\"a\u007fb\"", "\"a\\u007fb\""),
                c("\"\u00e9\u4e2d\ud83d\ude00\"", "\"\\u00e9\\u4e2d\\ud83d\\ude00\""),
                c("\"unterminated", "undefined"),
                c("\"a\\\"", "undefined"),
                c("{\"k\\u0041\":1}", "{\"kA\":1.0}"),
                c("{\"a\\nb\":\"c\\\"d\"}", "{\"a\\u000ab\":\"c\\u0022d\"}"),
                c("\"\\/\"", "\"/\""),
                c("\"a\" \"b\"", "undefined"),
                // comments and other text that is not JSON
                c("{\"a\":1}//c", "undefined"),
                c("/*c*/{}", "undefined"),
                c("# c\n{}", "undefined"),
                c("<xml/>", "undefined"),
                c("hello", "undefined"),
                c("'s'", "undefined"),
                c("\u0000", "undefined"),
                c("{\"a\":1}\u0000", "undefined")
        ));
        // nesting: the root is depth 0, and a value deeper than 256 makes the body unreadable
        b.add(c("[".repeat(256) + "]".repeat(256), "[".repeat(256) + "]".repeat(256)));
        b.add(c("[".repeat(257) + "]".repeat(257), "[".repeat(257) + "]".repeat(257)));
        b.add(c("[".repeat(258) + "]".repeat(258), "undefined"));
        b.add(c("[".repeat(256) + "1" + "]".repeat(256), "[".repeat(256) + "1.0" + "]".repeat(256)));
        b.add(c("[".repeat(257) + "1" + "]".repeat(257), "undefined"));
        b.add(c("{\"a\":".repeat(256) + "1" + "}".repeat(256), "{\"a\":".repeat(256) + "1.0" + "}".repeat(256)));
        b.add(c("{\"a\":".repeat(257) + "1" + "}".repeat(257), "undefined"));
        b.add(c("{\"a\":".repeat(257) + "{}" + "}".repeat(257), "undefined"));
        b.add(c("[".repeat(2000) + "]".repeat(2000), "undefined"));
        // no length limit on numbers, strings or names
        b.add(c("1" + "0".repeat(1200), "Infinity"));
        b.add(c("0." + "1".repeat(1200), "0.1111111111111111"));
        b.add(c("\"" + "x".repeat(100_000) + "\"", "\"" + "x".repeat(100_000) + "\""));
        b.add(c("{\"" + "k".repeat(60_000) + "\":1}", "{\"" + "k".repeat(60_000) + "\":1.0}"));
        return b;
    }

    private static Case c(String body, String expected) {
        return new Case(body, expected);
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
