package io.outpost.routing.internal;

import io.outpost.routing.internal.Token.Kind;

/**
 * Splits a condition into tokens on demand, from any position of the text, so that the route grammar
 * can read the source path and sink with its own rules and hand the {@code WHERE} part to this lexer.
 * Whitespace and {@code /* ... *}{@code /} comments separate tokens.
 */
final class Lexer {

    private final String text;
    private int pos;
    private Token peeked;

    Lexer(String text, int pos) {
        this.text = text;
        this.pos = pos;
    }

    /** Offset of the next unread character (after the peeked token, if any, was pushed back). */
    int position() {
        return peeked != null ? peeked.start() : pos;
    }

    /** Continues reading at {@code offset}, forgetting any peeked token. */
    void seek(int offset) {
        peeked = null;
        pos = offset;
    }

    String text() {
        return text;
    }

    Token peek() {
        if (peeked == null) {
            peeked = scan();
        }
        return peeked;
    }

    Token next() {
        Token t = peek();
        peeked = null;
        return t;
    }

    private Token scan() {
        skipSpaceAndComments();
        int start = pos;
        if (pos >= text.length()) {
            return new Token(Kind.END, "", start, null);
        }
        char c = text.charAt(pos);
        if (c == '\'' || c == '"') {
            return advance(StringLiterals.scan(text, start));
        }
        if (isDigit(c) || (c == '.' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1)))) {
            return advance(NumberLiterals.scan(text, start));
        }
        if (c == '$') {
            pos++;
            while (pos < text.length() && isDollarNamePart(text.charAt(pos))) {
                pos++;
            }
            if (pos == start + 1) {
                throw Errors.syntax(start, "expected a name after '$'");
            }
            return token(Kind.DOLLAR_NAME, start);
        }
        if (isNameStart(c)) {
            while (pos < text.length() && isNamePart(text.charAt(pos))) {
                pos++;
            }
            return token(Kind.NAME, start);
        }
        return operator(c, start);
    }

    private Token operator(char c, int start) {
        char n = pos + 1 < text.length() ? text.charAt(pos + 1) : '\0';
        Kind two = switch ("" + c + n) {
            case "||" -> Kind.CONCAT;
            case "??" -> Kind.COALESCE;
            case "!=", "<>" -> Kind.NE;
            case "<=" -> Kind.LE;
            case ">=" -> Kind.GE;
            default -> null;
        };
        if (two != null) {
            pos += 2;
            return token(two, start);
        }
        Kind one = switch (c) {
            case '(' -> Kind.LPAREN;
            case ')' -> Kind.RPAREN;
            case '{' -> Kind.LBRACE;
            case '}' -> Kind.RBRACE;
            case ',' -> Kind.COMMA;
            case '+' -> Kind.PLUS;
            case '-' -> Kind.MINUS;
            case '*' -> Kind.STAR;
            case '/' -> Kind.SLASH;
            case '%' -> Kind.PERCENT;
            case '=' -> Kind.EQ;
            case '<' -> Kind.LT;
            case '>' -> Kind.GT;
            default -> throw Errors.syntax(start, "unexpected character '" + c + "'");
        };
        pos++;
        return token(one, start);
    }

    private Token advance(Token t) {
        pos = t.start() + t.text().length();
        return t;
    }

    private Token token(Kind kind, int start) {
        return new Token(kind, text.substring(start, pos), start, null);
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '/' && pos + 1 < text.length() && text.charAt(pos + 1) == '*') {
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw Errors.syntax(pos, "unterminated comment: expected '*/'");
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    /** Name characters after the first: as in Azure's grammar, '-' and '.' belong to a name. */
    static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }

    static boolean isDollarNamePart(char c) {
        return isNamePart(c) || c == '[' || c == ']';
    }
}
