package io.outpost.common.lex;

import io.outpost.common.lex.Token.Kind;
import java.util.EnumSet;
import java.util.Set;

/**
 * The lexical rules of one expression language. Both languages read names, single- or double-quoted strings
 * with backslash escapes, decimal numbers, comparisons, parentheses and commas the same way; they differ only
 * in the flags below.
 *
 * @param dottedNames   '.' and '-' continue a name ({@code a.b-c} is one NAME) and a number may start with '.';
 *                      otherwise '.' is a {@link Kind#DOT} token and '-' only continues a name
 * @param dollarNames   '$' starts a {@link Kind#DOLLAR_NAME} ({@code $body}, {@code $x[1]}); otherwise '$' is a
 *                      name character like a letter
 * @param comments      {@code /* ... *}{@code /} separates tokens like whitespace
 * @param hexNumbers    {@code 0x1F} is a number
 * @param signedNumbers a '-' directly before a digit belongs to the number
 * @param exactNumbers  numbers are {@link java.math.BigDecimal}; otherwise {@link Double}
 * @param doubledQuotes a doubled quote inside a string stands for one quote ({@code 'it''s'})
 * @param strictEscapes only {@code \' \" \\ \\uXXXX} are escapes; otherwise a backslash takes the next character
 *                      as written
 * @param operators     the operator and punctuation kinds read; any other character is an error
 */
public record Syntax(boolean dottedNames, boolean dollarNames, boolean comments, boolean hexNumbers,
        boolean signedNumbers, boolean exactNumbers, boolean doubledQuotes, boolean strictEscapes,
        Set<Kind> operators) {

    /** Conditions of Azure IoT Edge routes ({@code FROM ... WHERE <condition> INTO ...}). */
    public static final Syntax ROUTE_CONDITION = new Syntax(true, true, true, true, false, false, false, true,
            EnumSet.of(Kind.LPAREN, Kind.RPAREN, Kind.LBRACE, Kind.RBRACE, Kind.COMMA, Kind.PLUS, Kind.MINUS,
                    Kind.STAR, Kind.SLASH, Kind.PERCENT, Kind.CONCAT, Kind.COALESCE,
                    Kind.EQ, Kind.NE, Kind.LT, Kind.LE, Kind.GT, Kind.GE));

    /** IoT Hub deployment target conditions ({@code tags.environment='prod' AND ...}). */
    public static final Syntax TARGET_CONDITION = new Syntax(false, false, false, false, true, true, true, false,
            EnumSet.of(Kind.DOT, Kind.LPAREN, Kind.RPAREN, Kind.LBRACKET, Kind.RBRACKET, Kind.COMMA,
                    Kind.EQ, Kind.NE, Kind.LT, Kind.LE, Kind.GT, Kind.GE));

    public Syntax {
        operators = Set.copyOf(operators);
    }

    boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_' || (!dollarNames && c == '$');
    }

    boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || (dottedNames && c == '.')
                || (!dollarNames && c == '$');
    }
}
