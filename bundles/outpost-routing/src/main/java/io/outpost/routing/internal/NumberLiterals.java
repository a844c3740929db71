package io.outpost.routing.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scans integer, hexadecimal ({@code 0x1F}) and real ({@code 1.5}, {@code .5}, {@code 2e-3}) literals. */
final class NumberLiterals {

    private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F]+");
    private static final Pattern DECIMAL = Pattern.compile("(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

    private NumberLiterals() {
    }

    static Token scan(String text, int start) {
        Matcher hex = HEX.matcher(text).region(start, text.length());
        Matcher dec = DECIMAL.matcher(text).region(start, text.length());
        int end;
        double value;
        if (hex.lookingAt()) {
            end = hex.end();
            String digits = text.substring(start + 2, end);
            if (digits.length() > 15) {
                throw Errors.syntax(start, "hexadecimal literal too large: at most 15 digits");
            }
            value = Long.parseLong(digits, 16);
        } else if (dec.lookingAt()) {
            end = dec.end();
            value = Double.parseDouble(text.substring(start, end));
            if (Double.isInfinite(value)) {
                throw Errors.syntax(start, "number literal out of range");
            }
        } else {
            throw Errors.syntax(start, "invalid number");
        }
        if (end < text.length() && (Lexer.isNamePart(text.charAt(end)) || text.charAt(end) == '$')) {
            throw Errors.syntax(start, "invalid number '" + text.substring(start, end + 1)
                    + "': a number must be followed by a space or an operator");
        }
        return new Token(Token.Kind.NUMBER, text.substring(start, end), start, value);
    }
}
