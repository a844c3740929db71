package io.outpost.routing.internal;

import io.outpost.routing.TriState;

/**
 * Runtime values: {@link String}, {@link Double}, {@link Boolean}, {@link Special#NULL} and
 * {@link Special#UNDEFINED}. A computation whose result is not a number (NaN) yields UNDEFINED.
 */
final class Values {

    /** The two values that are not Java objects of their own. */
    enum Special { NULL, UNDEFINED }

    static final Object NULL = Special.NULL;
    static final Object UNDEFINED = Special.UNDEFINED;

    private Values() {
    }

    static Object number(double d) {
        return Double.isNaN(d) ? UNDEFINED : (Object) d;
    }

    static Object bool(TriState t) {
        return switch (t) {
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case UNDEFINED -> UNDEFINED;
        };
    }

    /** A boolean value as three-valued logic; every other value (null included) is UNDEFINED. */
    static TriState truth(Object v) {
        if (v instanceof Boolean b) {
            return b ? TriState.TRUE : TriState.FALSE;
        }
        return TriState.UNDEFINED;
    }

    /** Maps a parsed JSON value to a query value: objects and arrays are UNDEFINED, as in Azure. */
    static Object scalar(Object json) {
        if (json instanceof String || json instanceof Double || json instanceof Boolean || json == NULL) {
            return json;
        }
        return UNDEFINED;
    }
}
