package io.outpost.cloud.web;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.common.ErrorCode;
import io.outpost.common.OutpostException;
import java.util.Objects;

/**
 * A request that names a bad value: {@link #field()} is its path in the request document ({@code priority},
 * {@code content.modulesContent}, {@code targetCondition}), which the REST API returns as {@code error.field}.
 */
public class FieldException extends OutpostException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public FieldException(String field, String message) {
        this(CloudErrorCode.INVALID_ARGUMENT, field, message, null);
    }

    public FieldException(ErrorCode code, String field, String message, Throwable cause) {
        super(code, message, cause);
        this.field = Objects.requireNonNull(field, "field");
    }

    public String field() {
        return field;
    }
}
