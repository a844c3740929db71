package io.outpost.manifest;

import java.util.Objects;

/**
 * One finding about a manifest.
 *
 * @param severity whether the finding refuses the manifest ({@link Severity#ERROR}) or only points at a
 *     probable mistake ({@link Severity#WARNING})
 * @param pointer the RFC 6901 JSON Pointer of the offending field in the document as given ({@code ""}
 *     for the whole document)
 * @param message what is wrong and what is allowed
 */
public record Problem(Severity severity, String pointer, String message) {

    /** How serious a finding is. */
    public enum Severity {
        ERROR("error"),
        WARNING("warning");

        private final String label;

        Severity(String label) {
            this.label = label;
        }

        /** The lower-case word used in front of a rendered problem. */
        public String label() {
            return label;
        }
    }

    public Problem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            throw new IllegalArgumentException("a JSON Pointer is empty or starts with '/': " + pointer);
        }
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The form the CLI prints: {@code error: <pointer>: <message>}. */
    @Override
    public String toString() {
        return severity.label() + ": " + pointer + ": " + message;
    }
}
