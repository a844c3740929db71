package io.outpost.routing.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for message bodies. Objects become maps, arrays lists, numbers doubles,
 * {@code null} becomes {@link Values#NULL}. Text that is not one valid JSON value, or that nests deeper
 * than {@link #MAX_DEPTH}, reads as {@link Values#UNDEFINED}: a body that cannot be queried.
 */
final class JsonReader {

    static final int MAX_DEPTH = 256;

    private final String s;
    private int pos;

    private JsonReader(String s) {
        this.s = s;
    }

    static Object read(String text) {
        JsonReader r = new JsonReader(text);
        try {
            Object v = r.value(0);
            r.skipSpace();
            return r.pos == text.length() ? v : Values.UNDEFINED;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Values.UNDEFINED;
        }
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("too deep");
        }
        skipSpace();
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> word("true", Boolean.TRUE);
            case 'f' -> word("false", Boolean.FALSE);
            case 'n' -> word("null", Values.NULL);
            default -> number();
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> map = new HashMap<>();
        pos++;
        skipSpace();
        if (s.charAt(pos) == '}') {
            pos++;
            return map;
        }
        do {
            skipSpace();
            expect('"');
            pos--;
            String key = string();
            skipSpace();
            expect(':');
            map.put(key, value(depth + 1));
            skipSpace();
        } while (s.charAt(pos++) == ',');
        if (s.charAt(pos - 1) != '}') {
            throw new IllegalArgumentException("expected }");
        }
        return map;
    }

    private List<Object> array(int depth) {
        List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (s.charAt(pos) == ']') {
            pos++;
            return list;
        }
        do {
            list.add(value(depth + 1));
            skipSpace();
        } while (s.charAt(pos++) == ',');
        if (s.charAt(pos - 1) != ']') {
            throw new IllegalArgumentException("expected ]");
        }
        return list;
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character in string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> throw new IllegalArgumentException("bad escape");
            }
        }
    }

    private Object word(String w, Object value) {
        if (!s.startsWith(w, pos)) {
            throw new IllegalArgumentException("expected " + w);
        }
        pos += w.length();
        return value;
    }

    private Double number() {
        int start = pos;
        while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
        String n = s.substring(start, pos);
        if (!n.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            throw new IllegalArgumentException("bad number");
        }
        return Double.valueOf(n);
    }

    private void expect(char c) {
        if (s.charAt(pos++) != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }

    private void skipSpace() {
        while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
            pos++;
        }
    }
}
