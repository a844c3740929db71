package io.outpost.common.lex;

/** Turns a lexical error into the exception of the language being read. */
@FunctionalInterface
public interface LexErrors {

    /**
     * Builds the exception to throw.
     *
     * @param offset 0-based offset of the offending character in the text
     * @param detail what is wrong, for the user
     * @return the exception, thrown by the lexer
     */
    RuntimeException at(int offset, String detail);

    /**
     * Builds the exception for a malformed number; by default it names the offending character. A language
     * that names the number itself instead overrides this.
     *
     * @param start   0-based offset of the number's first character
     * @param offset  0-based offset of the offending character
     * @param literal the number as written, up to and including what makes it malformed
     * @param detail  what is wrong, for the user
     * @return the exception, thrown by the lexer
     */
    default RuntimeException badNumber(int start, int offset, String literal, String detail) {
        return at(offset, detail);
    }
}
