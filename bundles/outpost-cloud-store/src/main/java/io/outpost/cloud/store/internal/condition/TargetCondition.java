package io.outpost.cloud.store.internal.condition;

import io.outpost.cloud.TargetConditionException;
import java.util.Objects;

/**
 * A parsed target condition, compiled once and evaluated against many twins. A twin matches only when the
 * condition is true: a comparison with a property the twin does not define is undefined, and so is the whole
 * condition unless AND / OR decide it regardless (IoT Hub's rule). Immutable and thread-safe.
 */
public final class TargetCondition {

    /** Longer conditions are refused before they are read. */
    public static final int MAX_LENGTH = 8192;

    private final String text;
    private final Node root;

    private TargetCondition(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /**
     * Parses a condition.
     *
     * @throws TargetConditionException naming the 1-based column and what was expected there
     */
    public static TargetCondition parse(String text) {
        if (text == null) {
            throw new TargetConditionException(1, "expected a condition");
        }
        if (text.length() > MAX_LENGTH) {
            throw new TargetConditionException(MAX_LENGTH + 1, "the condition is longer than " + MAX_LENGTH
                    + " characters");
        }
        return new TargetCondition(text, Parser.parse(text));
    }

    public boolean matches(TwinView twin) {
        return root.eval(Objects.requireNonNull(twin, "twin")) == Tri.TRUE;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
