package io.outpost.cloud.store.internal;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.common.OutpostException;
import java.sql.SQLException;

/** Maps SQL states, which H2 and PostgreSQL share for these cases, to the cloud's error codes. */
final class SqlErrors {

    static final String UNIQUE_VIOLATION = "23505";
    static final String FOREIGN_KEY_VIOLATION = "23503";

    private SqlErrors() {
    }

    static OutpostException map(SQLException e, String url) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals(UNIQUE_VIOLATION)) {
            return new OutpostException(CloudErrorCode.ALREADY_EXISTS, "already exists: " + e.getMessage(), e);
        }
        if (state.equals(FOREIGN_KEY_VIOLATION)) {
            return new OutpostException(CloudErrorCode.NOT_FOUND, "refers to something that does not exist: "
                    + e.getMessage(), e);
        }
        return new OutpostException(CloudErrorCode.STORE_UNAVAILABLE,
                "the cloud store (" + url.replaceAll("password=[^;&]*", "password=***") + ") failed: "
                        + e.getMessage() + " (SQL state " + state + ")", e);
    }
}
