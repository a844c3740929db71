package io.outpost.cloud.web.internal;

/** A refusal of the REST layer itself (authentication, routing, the request's form), with its HTTP status. */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    final String field;

    ApiException(int status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }
}
