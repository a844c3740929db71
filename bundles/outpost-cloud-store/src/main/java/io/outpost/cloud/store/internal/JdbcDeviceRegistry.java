package io.outpost.cloud.store.internal;

import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.ConnectionState;
import io.outpost.cloud.Device;
import io.outpost.cloud.DeviceAuth;
import io.outpost.cloud.DeviceRegistry;
import io.outpost.cloud.Ids;
import io.outpost.cloud.ModuleIdentity;
import io.outpost.cloud.store.internal.json.Json;
import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Device and module identities in the {@code devices} and {@code modules} tables; twins are created alongside. */
final class JdbcDeviceRegistry implements DeviceRegistry {

    private static final String DEVICE_COLUMNS = "d.device_id, d.auth_type, d.auth_primary, d.auth_secondary, "
            + "d.enabled, d.connection_state, d.last_activity, d.created_at, d.parent_id, t.tags";
    private static final String SELECT_DEVICES = "SELECT " + DEVICE_COLUMNS + " FROM devices d JOIN twins t "
            + "ON t.device_id = d.device_id AND t.module_id = ''";

    private final Database db;
    private final Clock clock;

    JdbcDeviceRegistry(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Device create(String deviceId, DeviceAuth auth, String tags, Optional<String> parentId) {
        Ids.device(deviceId);
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(parentId, "parentId");
        String tagsJson = Json.write(Json.withoutNulls(Json.parseObject(tags, "tags")));
        long now = clock.now().toEpochMilli();
        db.transaction(c -> {
            if (parentId.isPresent()) {
                // the parent's row stays locked until the device is inserted: a concurrent move of the parent
                // under another device sees the new child, or this sees the move
                lockDevices(c, parentId.get(), parentId.get());
                requireParentable(c, deviceId, parentId.get());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO devices (device_id, auth_type, auth_primary, "
                    + "auth_secondary, enabled, connection_state, last_activity, created_at, parent_id) "
                    + "VALUES (?,?,?,?,TRUE,?,NULL,?,?)")) {
                ps.setString(1, deviceId);
                Rows.setAuth(ps, 2, auth);
                ps.setString(5, ConnectionState.DISCONNECTED.name());
                ps.setLong(6, now);
                ps.setString(7, parentId.orElse(null));
                ps.executeUpdate();
            }
            TwinRows.insert(c, deviceId, Rows.NO_MODULE, tagsJson, now);
            return null;
        });
        return get(deviceId).orElseThrow();
    }

    @Override
    public Optional<Device> get(String deviceId) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_DEVICES + " WHERE d.device_id = ?")) {
                ps.setString(1, deviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(device(rs)) : Optional.<Device>empty();
                }
            }
        });
    }

    @Override
    public List<Device> list() {
        return db.transaction(c -> {
            List<Device> devices = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT_DEVICES + " ORDER BY d.device_id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    devices.add(device(rs));
                }
            }
            return devices;
        });
    }

    @Override
    public Device setEnabled(String deviceId, boolean enabled) {
        updateDevice(deviceId, "UPDATE devices SET enabled = ? WHERE device_id = ?", ps -> ps.setBoolean(1, enabled));
        return get(deviceId).orElseThrow();
    }

    @Override
    public Device setAuth(String deviceId, DeviceAuth auth) {
        updateDevice(deviceId, "UPDATE devices SET auth_type = ?, auth_primary = ?, auth_secondary = ? WHERE device_id = ?",
                ps -> Rows.setAuth(ps, 1, auth));
        return get(deviceId).orElseThrow();
    }

    @Override
    public Device setParent(String deviceId, Optional<String> parentId) {
        Objects.requireNonNull(parentId, "parentId");
        db.transaction(c -> {
            lockDevices(c, deviceId, parentId.orElse(deviceId));
            requireDevice(c, deviceId);
            if (parentId.isPresent()) {
                requireParentable(c, deviceId, parentId.get());
                try (PreparedStatement ps = c.prepareStatement("SELECT device_id FROM devices WHERE parent_id = ? "
                        + "ORDER BY device_id")) {
                    ps.setString(1, deviceId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            throw new OutpostException(CloudErrorCode.INVALID_ARGUMENT, "parentId: '" + deviceId
                                    + "' has children (such as '" + rs.getString(1) + "') and cannot become a child");
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE devices SET parent_id = ? WHERE device_id = ?")) {
                ps.setString(1, parentId.orElse(null));
                ps.setString(2, deviceId);
                ps.executeUpdate();
            }
            return null;
        });
        return get(deviceId).orElseThrow();
    }

    /**
     * Locks the rows of both devices (in id order, so two moves never wait on each other crosswise) until the
     * transaction ends: concurrent moves of a device and of its parent then see each other's result.
     */
    private static void lockDevices(Connection c, String a, String b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id FROM devices WHERE device_id IN (?, ?) "
                + "ORDER BY device_id FOR UPDATE")) {
            ps.setString(1, a.compareTo(b) <= 0 ? a : b);
            ps.setString(2, a.compareTo(b) <= 0 ? b : a);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getString(1); // a row is locked as it is read: read them all
                }
            }
        }
    }

    /**
     * Checks that {@code parentId} may be the parent of {@code deviceId}: it exists, is not the device, and is not
     * itself a child (parents are one level deep).
     *
     * @throws OutpostException {@code NOT_FOUND} or {@code INVALID_ARGUMENT} naming {@code parentId}
     */
    private static void requireParentable(Connection c, String deviceId, String parentId) throws SQLException {
        if (parentId.equals(deviceId)) {
            throw new OutpostException(CloudErrorCode.INVALID_ARGUMENT, "parentId: a device cannot be its own parent");
        }
        Optional<String> grandParent = parentOf(c, parentId).orElseThrow(() -> new OutpostException(
                CloudErrorCode.NOT_FOUND, "parentId: no device '" + parentId + "'"));
        if (grandParent.isPresent()) {
            throw new OutpostException(CloudErrorCode.INVALID_ARGUMENT, "parentId: '" + parentId + "' is itself a "
                    + "child of '" + grandParent.get() + "'");
        }
    }

    /** The parent of {@code deviceId} (itself optional); empty when there is no such device. */
    private static Optional<Optional<String>> parentOf(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT parent_id FROM devices WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Optional.ofNullable(rs.getString(1))) : Optional.empty();
            }
        }
    }

    @Override
    public void setConnectionState(String deviceId, ConnectionState state, Instant at) {
        updateDevice(deviceId, "UPDATE devices SET connection_state = ?, last_activity = ? WHERE device_id = ?", ps -> {
            ps.setString(1, state.name());
            ps.setLong(2, at.toEpochMilli());
        });
    }

    @Override
    public void touch(String deviceId, Instant at) {
        updateDevice(deviceId, "UPDATE devices SET last_activity = ? WHERE device_id = ?",
                ps -> ps.setLong(1, at.toEpochMilli()));
    }

    @Override
    public boolean delete(String deviceId) {
        return db.transaction(c -> {
            for (String table : List.of("telemetry", "twin_history", "twins", "modules")) {
                execute(c, "DELETE FROM " + table + " WHERE device_id = ?", deviceId);
            }
            execute(c, "UPDATE devices SET parent_id = NULL WHERE parent_id = ?", deviceId);
            return execute(c, "DELETE FROM devices WHERE device_id = ?", deviceId) > 0;
        });
    }

    @Override
    public ModuleIdentity createModule(String deviceId, String moduleId, DeviceAuth auth) {
        Ids.module(moduleId);
        Instant now = clock.now();
        db.transaction(c -> {
            requireDevice(c, deviceId);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO modules (device_id, module_id, auth_type, "
                    + "auth_primary, auth_secondary, created_at) VALUES (?,?,?,?,?,?)")) {
                ps.setString(1, deviceId);
                ps.setString(2, moduleId);
                Rows.setAuth(ps, 3, auth);
                ps.setLong(6, now.toEpochMilli());
                ps.executeUpdate();
            }
            TwinRows.insertIfAbsent(c, deviceId, moduleId, now.toEpochMilli());
            return null;
        });
        return new ModuleIdentity(deviceId, moduleId, auth, Instant.ofEpochMilli(now.toEpochMilli()));
    }

    @Override
    public Optional<ModuleIdentity> getModule(String deviceId, String moduleId) {
        return modules(deviceId, moduleId).stream().findFirst();
    }

    @Override
    public List<ModuleIdentity> modules(String deviceId) {
        return modules(deviceId, null);
    }

    private List<ModuleIdentity> modules(String deviceId, String moduleId) {
        String sql = "SELECT * FROM modules WHERE device_id = ?" + (moduleId == null ? "" : " AND module_id = ?")
                + " ORDER BY module_id";
        return db.transaction(c -> {
            List<ModuleIdentity> modules = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, deviceId);
                if (moduleId != null) {
                    ps.setString(2, moduleId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        modules.add(new ModuleIdentity(rs.getString("device_id"), rs.getString("module_id"),
                                Rows.auth(rs), Rows.instant(rs, "created_at")));
                    }
                }
            }
            return modules;
        });
    }

    @Override
    public boolean deleteModule(String deviceId, String moduleId) {
        return db.transaction(c -> {
            for (String table : List.of("twin_history", "twins")) {
                execute(c, "DELETE FROM " + table + " WHERE device_id = ? AND module_id = ?", deviceId, moduleId);
            }
            return execute(c, "DELETE FROM modules WHERE device_id = ? AND module_id = ?", deviceId, moduleId) > 0;
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Runs an UPDATE whose last parameter is the device id; no such device is {@link CloudErrorCode#NOT_FOUND}. */
    private void updateDevice(String deviceId, String sql, Binder binder) {
        int rows = db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                ps.setString((int) sql.chars().filter(ch -> ch == '?').count(), deviceId);
                return ps.executeUpdate();
            }
        });
        if (rows == 0) {
            throw notFound(deviceId);
        }
    }

    static void requireDevice(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM devices WHERE device_id = ?")) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw notFound(deviceId);
                }
            }
        }
    }

    static OutpostException notFound(String deviceId) {
        return new OutpostException(CloudErrorCode.NOT_FOUND, "no device '" + deviceId + "'");
    }

    private static int execute(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }

    private static Device device(ResultSet rs) throws SQLException {
        return new Device(rs.getString("device_id"), Rows.auth(rs), rs.getBoolean("enabled"), rs.getString("tags"),
                ConnectionState.valueOf(rs.getString("connection_state")), Rows.optionalInstant(rs, "last_activity"),
                Rows.instant(rs, "created_at"), Optional.ofNullable(rs.getString("parent_id")));
    }
}
