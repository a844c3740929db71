package io.outpost.cloud.store.internal.condition;

import io.outpost.cloud.TargetConditionException;
import io.outpost.cloud.store.internal.condition.Token.Kind;
import java.math.BigDecimal;

/** Splits a target condition into tokens on demand; whitespace separates tokens. */
final class Lexer {

    private final String text;
    private int pos;
    private Token peeked;

    Lexer(String text) {
        this.text = text;
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
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos >= text.length()) {
            return new Token(Kind.END, "", start, null);
        }
        char c = text.charAt(pos);
        if (c == '\'' || c == '"') {
            return string(c, start);
        }
        if (isDigit(c) || (c == '-' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1)))) {
            return number(start);
        }
        if (Character.isLetter(c) || c == '_' || c == '$') {
            while (pos < text.length() && isNamePart(text.charAt(pos))) {
                pos++;
            }
            return new Token(Kind.NAME, text.substring(start, pos), start, null);
        }
        return operator(c, start);
    }

    private Token operator(char c, int start) {
        String two = pos + 1 < text.length() ? text.substring(pos, pos + 2) : "";
        Kind kind = switch (two) {
            case "!=", "<>" -> Kind.NE;
            case "<=" -> Kind.LE;
            case ">=" -> Kind.GE;
            default -> null;
        };
        if (kind != null) {
            pos += 2;
            return new Token(kind, two, start, null);
        }
        kind = switch (c) {
            case '.' -> Kind.DOT;
            case '(' -> Kind.LPAREN;
            case ')' -> Kind.RPAREN;
            case '[' -> Kind.LBRACKET;
            case ']' -> Kind.RBRACKET;
            case ',' -> Kind.COMMA;
            case '=' -> Kind.EQ;
            case '<' -> Kind.LT;
            case '>' -> Kind.GT;
            default -> throw new TargetConditionException(start + 1, "unexpected character '" + c + "'");
        };
        pos++;
        return new Token(kind, String.valueOf(c), start, null);
    }

    /** A quoted string; the quote character is escaped by doubling it or with a backslash. */
    private Token string(char quote, int start) {
        StringBuilder value = new StringBuilder();
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && pos + 1 < text.length()) {
                value.append(text.charAt(pos + 1));
                pos += 2;
            } else if (c == quote && pos + 1 < text.length() && text.charAt(pos + 1) == quote) {
                value.append(quote);
                pos += 2;
            } else if (c == quote) {
                pos++;
                return new Token(Kind.STRING, text.substring(start, pos), start, value.toString());
            } else {
                value.append(c);
                pos++;
            }
        }
        throw new TargetConditionException(start + 1, "unterminated string: expected a closing " + quote);
    }

    private Token number(int start) {
        if (text.charAt(pos) == '-') {
            pos++;
        }
        digits();
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            if (digits() == 0) {
                throw new TargetConditionException(pos + 1, "expected a digit after the decimal point");
            }
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (digits() == 0) {
                throw new TargetConditionException(pos + 1, "expected the exponent's digits");
            }
        }
        if (pos < text.length() && isNamePart(text.charAt(pos))) {
            throw new TargetConditionException(pos + 1, "unexpected character '" + text.charAt(pos) + "' in a number");
        }
        String literal = text.substring(start, pos);
        return new Token(Kind.NUMBER, literal, start, new BigDecimal(literal));
    }

    private int digits() {
        int from = pos;
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
        return pos - from;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '-';
    }
}
