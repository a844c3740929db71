package io.outpost.routing.internal;

import io.outpost.routing.RouteSink;

/**
 * Reads the sink after INTO: {@code $upstream} (ignoring case) or
 * {@code BrokeredEndpoint("/modules/<m>/inputs/<i>")} with single or double quotes (the function name
 * and the words {@code modules} and {@code inputs} ignore case).
 */
final class Sinks {

    private static final String EXPECTED = "expected $upstream or BrokeredEndpoint(\"/modules/<module>/inputs/<input>\")";

    private Sinks() {
    }

    static RouteSink parse(String text, int pos) {
        int wordEnd = pos;
        while (wordEnd < text.length() && (Character.isLetterOrDigit(text.charAt(wordEnd)) || text.charAt(wordEnd) == '$')) {
            wordEnd++;
        }
        String word = text.substring(pos, wordEnd);
        if (word.equalsIgnoreCase("$upstream")) {
            return RouteSink.upstream();
        }
        if (!word.equalsIgnoreCase("BrokeredEndpoint")) {
            throw Errors.syntax(pos, EXPECTED + " after INTO");
        }
        int p = skipSpace(text, wordEnd);
        expectChar(text, p, '(', "expected '(' after BrokeredEndpoint");
        p = skipSpace(text, p + 1);
        char quote = p < text.length() ? text.charAt(p) : '\0';
        if (quote != '"' && quote != '\'') {
            throw Errors.syntax(p, "expected a quoted endpoint such as \"/modules/<module>/inputs/<input>\"");
        }
        int close = text.indexOf(quote, p + 1);
        if (close < 0) {
            throw Errors.syntax(p, "unterminated string: expected a closing " + quote);
        }
        RouteSink sink = endpoint(text.substring(p + 1, close), p + 1);
        expectChar(text, skipSpace(text, close + 1), ')', "expected ')' after the endpoint");
        return sink;
    }

    /** The offset just after the sink, assuming {@link #parse} accepted it. */
    static int end(String text, int pos) {
        if (text.charAt(pos) == '$') {
            return pos + "$upstream".length();
        }
        return text.indexOf(')', pos) + 1;
    }

    private static RouteSink endpoint(String path, int offset) {
        String[] parts = path.split("/", -1);
        boolean shape = parts.length == 5 && parts[0].isEmpty() && parts[1].equalsIgnoreCase("modules")
                && parts[3].equalsIgnoreCase("inputs");
        if (!shape) {
            throw Errors.syntax(offset, "expected an endpoint of the form /modules/<module>/inputs/<input>, found \"" + path + "\"");
        }
        name(parts[2], offset + 9, "module");
        name(parts[4], offset + path.lastIndexOf('/') + 1, "input");
        return RouteSink.moduleInput(parts[2], parts[4]);
    }

    private static void name(String name, int offset, String what) {
        if (name.isEmpty()) {
            throw Errors.syntax(offset, "expected a " + what + " name in the endpoint");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '-' && c != '_' && c != '.') {
                throw Errors.syntax(offset + i, "invalid character '" + c + "' in " + what + " name");
            }
        }
    }

    private static void expectChar(String text, int p, char c, String message) {
        if (p >= text.length() || text.charAt(p) != c) {
            throw Errors.syntax(p, message);
        }
    }

    private static int skipSpace(String text, int p) {
        while (p < text.length() && Character.isWhitespace(text.charAt(p))) {
            p++;
        }
        return p;
    }
}
