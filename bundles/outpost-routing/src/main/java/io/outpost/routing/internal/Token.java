package io.outpost.routing.internal;

/**
 * One token of a condition.
 *
 * @param kind  what it is
 * @param text  the characters as written
 * @param start offset of its first character in the parsed text
 * @param value the decoded value of a string or number literal, else {@code null}
 */
record Token(Kind kind, String text, int start, Object value) {

    enum Kind {
        NUMBER, STRING, NAME, DOLLAR_NAME, LPAREN, RPAREN, LBRACE, RBRACE, COMMA,
        PLUS, MINUS, STAR, SLASH, PERCENT, CONCAT, COALESCE, EQ, NE, LT, LE, GT, GE, END
    }

    int column() {
        return start + 1;
    }

    /** Whether this is a bare name spelling {@code word}, ignoring case (keywords are case-insensitive). */
    boolean isWord(String word) {
        return kind == Kind.NAME && text.equalsIgnoreCase(word);
    }

    /** How an error message names this token. */
    String describe() {
        return kind == Kind.END ? "end of text" : "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }
}
