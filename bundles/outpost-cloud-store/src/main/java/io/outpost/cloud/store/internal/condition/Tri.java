package io.outpost.cloud.store.internal.condition;

/** Three-valued logic: a comparison with an undefined property or of different types is {@link #UNDEFINED}. */
enum Tri {
    TRUE, FALSE, UNDEFINED;

    static Tri of(boolean b) {
        return b ? TRUE : FALSE;
    }

    Tri and(Tri other) {
        if (this == FALSE || other == FALSE) {
            return FALSE;
        }
        return this == TRUE && other == TRUE ? TRUE : UNDEFINED;
    }

    Tri or(Tri other) {
        if (this == TRUE || other == TRUE) {
            return TRUE;
        }
        return this == FALSE && other == FALSE ? FALSE : UNDEFINED;
    }

    Tri not() {
        return switch (this) {
            case TRUE -> FALSE;
            case FALSE -> TRUE;
            case UNDEFINED -> UNDEFINED;
        };
    }
}
