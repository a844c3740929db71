package io.outpost.cloud.store.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.Ids;
import io.outpost.cloud.TelemetryMessage;
import io.outpost.cloud.TelemetryRetention;
import io.outpost.cloud.TelemetryStore;
import io.outpost.cloud.store.internal.json.Json;
import io.outpost.common.Clock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Telemetry in the {@code telemetry} table. Each append removes the device's messages beyond the retention
 * limits in the same transaction, so a device never holds more than its count; {@link #prune()} does the
 * same for devices that went quiet.
 */
final class JdbcTelemetryStore implements TelemetryStore {

    private final Database db;
    private final Clock clock;
    private final TelemetryRetention retention;

    JdbcTelemetryStore(Database db, Clock clock, TelemetryRetention retention) {
        this.db = db;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public TelemetryRetention retention() {
        return retention;
    }

    @Override
    public TelemetryMessage append(TelemetryMessage m) {
        ObjectNode props = Json.object();
        m.properties().forEach(props::put);
        long seq = db.transaction(c -> {
            JdbcDeviceRegistry.requireDevice(c, m.deviceId());
            long assigned;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO telemetry (device_id, module_id, enqueued_at, "
                    + "properties, body) VALUES (?,?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, m.deviceId());
                ps.setString(2, Rows.module(m.moduleId()));
                ps.setLong(3, m.enqueuedAt().toEpochMilli());
                ps.setString(4, Json.write(props));
                ps.setBytes(5, m.body());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    assigned = keys.getLong("seq");
                }
            }
            pruneDevice(c, m.deviceId());
            return assigned;
        });
        return new TelemetryMessage(seq, m.deviceId(), m.moduleId(), m.enqueuedAt(), m.properties(), m.body());
    }

    @Override
    public List<TelemetryMessage> recent(String deviceId, int limit) {
        Ids.device(deviceId);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        long oldest = oldestKept();
        return db.transaction(c -> {
            List<TelemetryMessage> messages = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM telemetry WHERE device_id = ? "
                    + "AND enqueued_at >= ? ORDER BY seq DESC FETCH FIRST " + limit + " ROWS ONLY")) {
                ps.setString(1, deviceId);
                ps.setLong(2, oldest);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        messages.add(message(rs));
                    }
                }
            }
            return messages;
        });
    }

    @Override
    public int prune() {
        return db.transaction(c -> {
            List<String> devices = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT device_id FROM telemetry");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    devices.add(rs.getString(1));
                }
            }
            int removed = 0;
            for (String device : devices) {
                removed += pruneDevice(c, device);
            }
            return removed;
        });
    }

    private int pruneDevice(Connection c, String deviceId) throws SQLException {
        int removed;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM telemetry WHERE device_id = ? AND enqueued_at < ?")) {
            ps.setString(1, deviceId);
            ps.setLong(2, oldestKept());
            removed = ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM telemetry WHERE device_id = ? AND seq <= "
                + "(SELECT seq FROM telemetry WHERE device_id = ? ORDER BY seq DESC OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY)")) {
            ps.setString(1, deviceId);
            ps.setString(2, deviceId);
            ps.setInt(3, retention.maxPerDevice());
            removed += ps.executeUpdate();
        }
        return removed;
    }

    private long oldestKept() {
        return clock.now().minus(retention.maxAge()).toEpochMilli();
    }

    private static TelemetryMessage message(ResultSet rs) throws SQLException {
        TreeMap<String, String> props = new TreeMap<>();
        Json.parseObject(rs.getString("properties"), "stored properties").fields()
                .forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
        return new TelemetryMessage(rs.getLong("seq"), rs.getString("device_id"), Rows.module(rs.getString("module_id")),
                Rows.instant(rs, "enqueued_at"), props, rs.getBytes("body"));
    }
}
