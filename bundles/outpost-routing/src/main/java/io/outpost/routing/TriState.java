package io.outpost.routing;

/**
 * The three-valued logic of route conditions. {@link #UNDEFINED} is neither true nor false: it is what a
 * comparison with a missing property gives, and a route fires only on {@link #TRUE}.
 */
public enum TriState {
    TRUE,
    FALSE,
    UNDEFINED;

    public static TriState of(boolean b) {
        return b ? TRUE : FALSE;
    }

    /** Kleene conjunction: FALSE wins over UNDEFINED, UNDEFINED over TRUE. */
    public TriState and(TriState other) {
        if (this == FALSE || other == FALSE) {
            return FALSE;
        }
        return this == TRUE && other == TRUE ? TRUE : UNDEFINED;
    }

    /** Kleene disjunction: TRUE wins over UNDEFINED, UNDEFINED over FALSE. */
    public TriState or(TriState other) {
        if (this == TRUE || other == TRUE) {
            return TRUE;
        }
        return this == FALSE && other == FALSE ? FALSE : UNDEFINED;
    }

    public TriState not() {
        return switch (this) {
            case TRUE -> FALSE;
            case FALSE -> TRUE;
            case UNDEFINED -> UNDEFINED;
        };
    }

    /** The lower-case word the CLI prints: {@code true}, {@code false} or {@code undefined}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
