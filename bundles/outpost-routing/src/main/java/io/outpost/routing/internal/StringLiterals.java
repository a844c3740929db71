package io.outpost.routing.internal;

/** Scans {@code '...'} and {@code "..."} literals with the escapes \' \" \\ and \\uXXXX. */
final class StringLiterals {

    private StringLiterals() {
    }

    static Token scan(String text, int start) {
        char quote = text.charAt(start);
        StringBuilder value = new StringBuilder();
        int pos = start + 1;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == quote) {
                return new Token(Token.Kind.STRING, text.substring(start, pos + 1), start, value.toString());
            }
            if (c == '\\') {
                pos = escape(text, pos, value);
            } else {
                value.append(c);
                pos++;
            }
        }
        throw Errors.syntax(start, "unterminated string: expected a closing " + quote);
    }

    /** Appends the escaped character at {@code pos} (a backslash) and returns the offset after it. */
    private static int escape(String text, int pos, StringBuilder value) {
        char e = pos + 1 < text.length() ? text.charAt(pos + 1) : '\0';
        if (e == '\'' || e == '"' || e == '\\') {
            value.append(e);
            return pos + 2;
        }
        if ((e == 'u' || e == 'U') && pos + 6 <= text.length() && isHex(text.substring(pos + 2, pos + 6))) {
            value.append((char) Integer.parseInt(text.substring(pos + 2, pos + 6), 16));
            return pos + 6;
        }
        throw Errors.syntax(pos, "invalid escape in string: use \\', \\\", \\\\ or \\uXXXX");
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
