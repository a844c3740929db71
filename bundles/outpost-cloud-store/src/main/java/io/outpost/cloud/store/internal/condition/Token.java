package io.outpost.cloud.store.internal.condition;

/**
 * One token of a target condition.
 *
 * @param kind what it is
 * @param text the characters as written
 * @param start 0-based offset of its first character
 * @param value the decoded value of a string or number literal, else {@code null}
 */
record Token(Kind kind, String text, int start, Object value) {

    enum Kind {
        NAME, STRING, NUMBER, DOT, LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, EQ, NE, LT, LE, GT, GE, END
    }

    boolean isWord(String word) {
        return kind == Kind.NAME && text.equalsIgnoreCase(word);
    }

    boolean isComparison() {
        return switch (kind) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }

    /** How an error message names this token. */
    String describe() {
        return kind == Kind.END ? "end of condition" : "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }
}
