package io.outpost.cloud;

import io.outpost.common.OutpostException;

/**
 * A target condition that does not parse. The message reads {@code column <n>: <what was expected>};
 * {@link #column()} is 1-based and counts characters of the condition text.
 */
public class TargetConditionException extends OutpostException {

    private static final long serialVersionUID = 1L;

    private final int column;
    private final String detail;

    public TargetConditionException(int column, String detail) {
        super(CloudErrorCode.CONDITION_SYNTAX, "column " + column + ": " + detail);
        if (column < 1) {
            throw new IllegalArgumentException("column must be >= 1: " + column);
        }
        this.column = column;
        this.detail = detail;
    }

    /** The 1-based column where the problem starts. */
    public int column() {
        return column;
    }

    /** The message without the column prefix. */
    public String detail() {
        return detail;
    }
}
