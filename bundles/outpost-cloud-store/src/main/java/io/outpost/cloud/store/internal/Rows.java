package io.outpost.cloud.store.internal;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.DeviceAuth;
import io.outpost.common.OutpostException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Column conversions shared by the JDBC stores. */
final class Rows {

    /** The module_id of a device twin row. */
    static final String NO_MODULE = "";

    private Rows() {
    }

    static DeviceAuth auth(ResultSet rs) throws SQLException {
        String type = rs.getString("auth_type");
        String primary = rs.getString("auth_primary");
        String secondary = rs.getString("auth_secondary");
        return switch (type) {
            case "sas" -> new DeviceAuth.SymmetricKeys(primary, secondary);
            case "x509" -> new DeviceAuth.X509Thumbprints(primary, secondary);
            default -> throw new OutpostException(CloudErrorCode.STORE_UNAVAILABLE, "unknown auth type " + type);
        };
    }

    /** Sets auth_type, auth_primary and auth_secondary from parameter {@code first} on. */
    static void setAuth(PreparedStatement ps, int first, DeviceAuth auth) throws SQLException {
        ps.setString(first, auth.type());
        ps.setString(first + 1, auth.primary());
        ps.setString(first + 2, auth.secondary());
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Instant.ofEpochMilli(rs.getLong(column));
    }

    static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    static String module(Optional<String> moduleId) {
        return moduleId.orElse(NO_MODULE);
    }

    static Optional<String> module(String column) {
        return column.isEmpty() ? Optional.empty() : Optional.of(column);
    }
}
