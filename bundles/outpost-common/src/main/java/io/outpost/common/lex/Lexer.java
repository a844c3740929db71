package io.outpost.common.lex;

import io.outpost.common.lex.Token.Kind;
import java.math.BigDecimal;

/**
 * Splits an expression into tokens on demand, from any offset of the text, so that a grammar can read some
 * parts with its own rules (a route's source path and sink) and hand the rest to this lexer. Whitespace
 * separates tokens. Errors name the 0-based offset of the offending character and are built by the
 * language's {@link LexErrors}.
 */
public final class Lexer {

    private final String text;
    private final Syntax syntax;
    private final LexErrors errors;
    private int pos;
    private Token peeked;

    public Lexer(String text, int offset, Syntax syntax, LexErrors errors) {
        this.text = text;
        this.pos = offset;
        this.syntax = syntax;
        this.errors = errors;
    }

    /** Offset of the next unread character (after the peeked token, if any, was pushed back). */
    public int position() {
        return peeked != null ? peeked.start() : pos;
    }

    /** Continues reading at {@code offset}, forgetting any peeked token. */
    public void seek(int offset) {
        peeked = null;
        pos = offset;
    }

    public String text() {
        return text;
    }

    public Token peek() {
        if (peeked == null) {
            peeked = scan();
        }
        return peeked;
    }

    public Token next() {
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
            return string(c, start);
        }
        if (isDigit(c) || (syntax.dottedNames() && c == '.' && isDigitAt(pos + 1))
                || (syntax.signedNumbers() && c == '-' && isDigitAt(pos + 1))) {
            return number(start);
        }
        if (syntax.dollarNames() && c == '$') {
            pos++;
            while (pos < text.length() && (syntax.isNamePart(text.charAt(pos)) || isBracket(text.charAt(pos)))) {
                pos++;
            }
            if (pos == start + 1) {
                throw errors.at(start, "expected a name after '$'");
            }
            return token(Kind.DOLLAR_NAME, start);
        }
        if (syntax.isNameStart(c)) {
            while (pos < text.length() && syntax.isNamePart(text.charAt(pos))) {
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
        if (two != null && syntax.operators().contains(two)) {
            pos += 2;
            return token(two, start);
        }
        Kind one = switch (c) {
            case '.' -> Kind.DOT;
            case '(' -> Kind.LPAREN;
            case ')' -> Kind.RPAREN;
            case '{' -> Kind.LBRACE;
            case '}' -> Kind.RBRACE;
            case '[' -> Kind.LBRACKET;
            case ']' -> Kind.RBRACKET;
            case ',' -> Kind.COMMA;
            case '+' -> Kind.PLUS;
            case '-' -> Kind.MINUS;
            case '*' -> Kind.STAR;
            case '/' -> Kind.SLASH;
            case '%' -> Kind.PERCENT;
            case '=' -> Kind.EQ;
            case '<' -> Kind.LT;
            case '>' -> Kind.GT;
            default -> null;
        };
        if (one == null || !syntax.operators().contains(one)) {
            throw errors.at(start, "unexpected character '" + c + "'");
        }
        pos++;
        return token(one, start);
    }

    /** A quoted string: backslash escapes, and a doubled quote where the syntax allows it. */
    private Token string(char quote, int start) {
        StringBuilder value = new StringBuilder();
        pos = start + 1;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && syntax.strictEscapes()) {
                pos = strictEscape(value);
            } else if (c == '\\' && pos + 1 < text.length()) {
                value.append(text.charAt(pos + 1));
                pos += 2;
            } else if (c == quote && syntax.doubledQuotes() && pos + 1 < text.length() && text.charAt(pos + 1) == quote) {
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
        throw errors.at(start, "unterminated string: expected a closing " + quote);
    }

    /** Appends the escaped character at {@code pos} (a backslash) and returns the offset after it. */
    private int strictEscape(StringBuilder value) {
        char e = pos + 1 < text.length() ? text.charAt(pos + 1) : '\0';
        if (e == '\'' || e == '"' || e == '\\') {
            value.append(e);
            return pos + 2;
        }
        if ((e == 'u' || e == 'U') && pos + 6 <= text.length() && isHex(pos + 2, pos + 6)) {
            value.append((char) Integer.parseInt(text.substring(pos + 2, pos + 6), 16));
            return pos + 6;
        }
        throw errors.at(pos, "invalid escape in string: use \\', \\\", \\\\ or \\uXXXX");
    }

    /** Integer, real ({@code 1.5}, {@code 2e-3}) and, where the syntax allows, hexadecimal ({@code 0x1F}) literals. */
    private Token number(int start) {
        if (text.charAt(pos) == '-') {
            pos++;
        }
        if (syntax.hexNumbers() && text.startsWith("0", pos) && pos + 2 < text.length()
                && (text.charAt(pos + 1) == 'x' || text.charAt(pos + 1) == 'X') && isHexDigitAt(pos + 2)) {
            return hex(start);
        }
        digits();
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            if (digits() == 0) {
                throw errors.badNumber(start, pos, text.substring(start, pos), "expected a digit after the decimal point");
            }
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (digits() == 0) {
                throw errors.badNumber(start, pos, text.substring(start, pos), "expected the exponent's digits");
            }
        }
        String literal = endOfNumber(start);
        if (syntax.exactNumbers()) {
            return new Token(Kind.NUMBER, literal, start, new BigDecimal(literal));
        }
        double value = Double.parseDouble(literal);
        if (Double.isInfinite(value)) {
            throw errors.at(start, "number literal out of range");
        }
        return new Token(Kind.NUMBER, literal, start, value);
    }

    private Token hex(int start) {
        int from = pos + 2;
        pos = from;
        while (isHexDigitAt(pos)) {
            pos++;
        }
        if (pos - from > 15) {
            throw errors.at(start, "hexadecimal literal too large: at most 15 digits");
        }
        long value = Long.parseLong(text.substring(from, pos), 16);
        if (text.charAt(start) == '-') {
            value = -value;
        }
        String literal = endOfNumber(start);
        return new Token(Kind.NUMBER, literal, start, syntax.exactNumbers() ? (Object) BigDecimal.valueOf(value) : (double) value);
    }

    /** The literal from {@code start}, once it is checked to end before a space or an operator. */
    private String endOfNumber(int start) {
        if (pos < text.length() && (syntax.isNamePart(text.charAt(pos)) || text.charAt(pos) == '$')) {
            throw errors.badNumber(start, pos, text.substring(start, pos + 1), "unexpected character '"
                    + text.charAt(pos) + "' in a number, which must be followed by a space or an operator");
        }
        return text.substring(start, pos);
    }

    private Token token(Kind kind, int start) {
        return new Token(kind, text.substring(start, pos), start, null);
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (syntax.comments() && c == '/' && pos + 1 < text.length() && text.charAt(pos + 1) == '*') {
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw errors.at(pos, "unterminated comment: expected '*/'");
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private int digits() {
        int from = pos;
        while (isDigitAt(pos)) {
            pos++;
        }
        return pos - from;
    }

    private boolean isDigitAt(int at) {
        return at < text.length() && isDigit(text.charAt(at));
    }

    private boolean isHexDigitAt(int at) {
        if (at >= text.length()) {
            return false;
        }
        char c = text.charAt(at);
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private boolean isHex(int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isBracket(char c) {
        return c == '[' || c == ']';
    }
}
