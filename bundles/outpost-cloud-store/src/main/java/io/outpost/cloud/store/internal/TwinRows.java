package io.outpost.cloud.store.internal;

import io.outpost.cloud.Twin;
import io.outpost.cloud.TwinId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Reading and creating rows of the {@code twins} table. */
final class TwinRows {

    static final String COLUMNS = "device_id, module_id, tags, desired, reported, desired_version, reported_version, "
            + "version, updated_at";

    private TwinRows() {
    }

    /** A new twin: empty sections, every version 1 (IoT Hub starts twins at version 1). */
    static void insert(Connection c, String deviceId, String moduleId, String tags, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO twins (" + COLUMNS
                + ") VALUES (?,?,?,'{}','{}',1,1,1,?)")) {
            ps.setString(1, deviceId);
            ps.setString(2, moduleId);
            ps.setString(3, tags);
            ps.setLong(4, now);
            ps.executeUpdate();
        }
    }

    /** Creates an empty module twin unless one exists; true when it was created. */
    static boolean insertIfAbsent(Connection c, String deviceId, String moduleId, long now) throws SQLException {
        if (select(c, deviceId, moduleId, false).isPresent()) {
            return false;
        }
        insert(c, deviceId, moduleId, "{}", now);
        return true;
    }

    static Optional<Twin> select(Connection c, String deviceId, String moduleId, boolean forUpdate)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM twins WHERE device_id = ? "
                + "AND module_id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, deviceId);
            ps.setString(2, moduleId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(twin(rs)) : Optional.empty();
            }
        }
    }

    static Twin twin(ResultSet rs) throws SQLException {
        TwinId id = new TwinId(rs.getString("device_id"), Rows.module(rs.getString("module_id")));
        return new Twin(id, rs.getString("tags"), rs.getString("desired"), rs.getString("reported"),
                rs.getLong("desired_version"), rs.getLong("reported_version"), rs.getLong("version"),
                Rows.instant(rs, "updated_at"));
    }
}
