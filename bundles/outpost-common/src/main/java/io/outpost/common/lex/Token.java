package io.outpost.common.lex;

/**
 * One token of an expression.
 *
 * @param kind  what it is
 * @param text  the characters as written
 * @param start 0-based offset of its first character in the text
 * @param value the decoded value of a string ({@link String}) or number ({@link Double} or
 *              {@link java.math.BigDecimal}, as the {@link Syntax} says) literal, else {@code null}
 */
public record Token(Kind kind, String text, int start, Object value) {

    /** The kinds of token of all the languages; a {@link Syntax} says which operators it reads. */
    public enum Kind {
        NAME, DOLLAR_NAME, STRING, NUMBER, DOT, LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET, COMMA,
        PLUS, MINUS, STAR, SLASH, PERCENT, CONCAT, COALESCE, EQ, NE, LT, LE, GT, GE, END
    }

    /** 1-based column of the first character, as error messages name it. */
    public int column() {
        return start + 1;
    }

    /** Whether this is a bare name spelling {@code word}, ignoring case (keywords are case-insensitive). */
    public boolean isWord(String word) {
        return kind == Kind.NAME && text.equalsIgnoreCase(word);
    }

    /** Whether this is one of {@code = != <> < <= > >=}. */
    public boolean isComparison() {
        return switch (kind) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }

    /**
     * How an error message names this token.
     *
     * @param endName what the language calls the end of its text ("end of text", "end of condition")
     */
    public String describe(String endName) {
        return kind == Kind.END ? endName : "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }
}
