/**
 * The one lexer of Outpost's expression languages: route conditions ({@code FROM ... WHERE <condition> INTO ...})
 * and deployment target conditions ({@code tags.environment='prod' AND ...}). A {@link io.outpost.common.lex.Syntax}
 * names the lexical rules of a language; each language keeps its own grammar and turns
 * {@link io.outpost.common.lex.Lexer} errors into its own exception through a
 * {@link io.outpost.common.lex.LexErrors}. Plain Java with no third-party types.
 */
@Export
@Version("1.0.0")
package io.outpost.common.lex;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
