package io.outpost.cloud.store.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.C2dEntry;
import io.outpost.cloud.C2dState;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.CloudToDeviceMessage;
import io.outpost.cloud.CloudToDeviceQueue;
import io.outpost.cloud.Ids;
import io.outpost.cloud.store.internal.json.Json;
import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud-to-device queues in the {@code c2d_messages} table. Queueing locks the device's registry row, so that
 * the depth check holds when several cloud nodes queue for the same device at once; state changes are conditional
 * updates ({@code WHERE state = 'QUEUED'}), so a message finishes once whichever node gets there first.
 */
final class JdbcC2dQueue implements CloudToDeviceQueue {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcC2dQueue.class);
    private static final Duration FINISHED_RETENTION = Duration.ofHours(FINISHED_RETENTION_HOURS);

    private final Database db;
    private final Clock clock;

    JdbcC2dQueue(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public C2dEntry enqueue(String deviceId, CloudToDeviceMessage message, int maxQueued) {
        Ids.device(deviceId);
        if (message.messageId().isEmpty()) {
            throw new OutpostException(CloudErrorCode.INVALID_ARGUMENT, "messageId must be set to queue a message");
        }
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be at least 1: " + maxQueued);
        }
        if (message.ttl().isZero() || message.ttl().isNegative()) {
            throw new OutpostException(CloudErrorCode.INVALID_ARGUMENT, "ttl must be positive to queue a message: "
                    + message.ttl());
        }
        Instant now = Instant.ofEpochMilli(clock.now().toEpochMilli());
        Instant expiresAt = now.plusMillis(message.ttl().toMillis());
        ObjectNode props = Json.object();
        new TreeMap<>(message.properties()).forEach(props::put);
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM devices WHERE device_id = ? FOR UPDATE")) {
                ps.setString(1, deviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw JdbcDeviceRegistry.notFound(deviceId);
                    }
                }
            }
            removeFinished(c, deviceId, now);
            long queued;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM c2d_messages WHERE device_id = ? "
                    + "AND state = 'QUEUED' AND expires_at > ?")) {
                ps.setString(1, deviceId);
                ps.setLong(2, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    queued = rs.getLong(1);
                }
            }
            if (queued >= maxQueued) {
                throw new OutpostException(CloudErrorCode.QUEUE_FULL, "the cloud-to-device queue of '" + deviceId
                        + "' holds " + queued + " messages, its most (DeviceMaximumQueueDepthExceeded)");
            }
            long seq;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO c2d_messages (device_id, message_id, "
                    + "correlation_id, content_type, content_encoding, ttl_ms, properties, body, enqueued_at, "
                    + "expires_at, state, delivery_count, state_changed_at) VALUES (?,?,?,?,?,?,?,?,?,?,'QUEUED',0,?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, deviceId);
                ps.setString(2, message.messageId());
                ps.setString(3, message.correlationId());
                ps.setString(4, message.contentType());
                ps.setString(5, message.contentEncoding());
                ps.setLong(6, message.ttl().toMillis());
                ps.setString(7, Json.write(props));
                ps.setBytes(8, message.body());
                ps.setLong(9, now.toEpochMilli());
                ps.setLong(10, expiresAt.toEpochMilli());
                ps.setLong(11, now.toEpochMilli());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    seq = keys.getLong("seq");
                }
            }
            return new C2dEntry(seq, deviceId, message, now, expiresAt, C2dState.QUEUED, 0, now);
        });
    }

    @Override
    public List<C2dEntry> next(String deviceId, int limit) {
        Ids.device(deviceId);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        Instant now = clock.now();
        return db.transaction(c -> {
            expireDue(c, deviceId, now);
            return select(c, "SELECT * FROM c2d_messages WHERE device_id = ? AND state = 'QUEUED' ORDER BY seq "
                    + "FETCH FIRST " + limit + " ROWS ONLY", deviceId);
        });
    }

    @Override
    public boolean attempted(long seq) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE c2d_messages SET delivery_count = delivery_count + 1 "
                    + "WHERE seq = ? AND state = 'QUEUED'")) {
                ps.setLong(1, seq);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delivered(long seq) {
        long now = clock.now().toEpochMilli();
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE c2d_messages SET state = 'DELIVERED', "
                    + "state_changed_at = ? WHERE seq = ? AND state = 'QUEUED'")) {
                ps.setLong(1, now);
                ps.setLong(2, seq);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<C2dEntry> list(String deviceId) {
        Ids.device(deviceId);
        Instant now = clock.now();
        return db.transaction(c -> {
            JdbcDeviceRegistry.requireDevice(c, deviceId);
            expireDue(c, deviceId, now);
            return select(c, "SELECT * FROM c2d_messages WHERE device_id = ? AND (state = 'QUEUED' OR "
                    + "state_changed_at >= " + now.minus(FINISHED_RETENTION).toEpochMilli() + ") ORDER BY seq",
                    deviceId);
        });
    }

    @Override
    public Map<C2dState, Long> counts(String deviceId) {
        Ids.device(deviceId);
        Instant now = clock.now();
        return db.transaction(c -> {
            JdbcDeviceRegistry.requireDevice(c, deviceId);
            expireDue(c, deviceId, now);
            Map<C2dState, Long> counts = new EnumMap<>(C2dState.class);
            for (C2dState s : C2dState.values()) {
                counts.put(s, 0L);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) FROM c2d_messages WHERE "
                    + "device_id = ? AND (state = 'QUEUED' OR state_changed_at >= ?) GROUP BY state")) {
                ps.setString(1, deviceId);
                ps.setLong(2, now.minus(FINISHED_RETENTION).toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(C2dState.valueOf(rs.getString(1)), rs.getLong(2));
                    }
                }
            }
            return counts;
        });
    }

    @Override
    public int purge(String deviceId) {
        Ids.device(deviceId);
        Instant now = clock.now();
        return db.transaction(c -> {
            JdbcDeviceRegistry.requireDevice(c, deviceId);
            expireDue(c, deviceId, now);
            try (PreparedStatement ps = c.prepareStatement("UPDATE c2d_messages SET state = 'PURGED', "
                    + "state_changed_at = ? WHERE device_id = ? AND state = 'QUEUED'")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, deviceId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Set<String> devicesWithQueued() {
        long now = clock.now().toEpochMilli();
        return db.transaction(c -> {
            Set<String> devices = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT DISTINCT device_id FROM c2d_messages WHERE state = 'QUEUED' AND expires_at > ?")) {
                ps.setLong(1, now);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        devices.add(rs.getString(1));
                    }
                }
            }
            return devices;
        });
    }

    /** Removes finished messages of every device beyond their retention; how many. */
    int prune() {
        long before = clock.now().minus(FINISHED_RETENTION).toEpochMilli();
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM c2d_messages WHERE state <> 'QUEUED' AND state_changed_at < ?")) {
                ps.setLong(1, before);
                return ps.executeUpdate();
            }
        });
    }

    private static void expireDue(Connection c, String deviceId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE c2d_messages SET state = 'EXPIRED', "
                + "state_changed_at = expires_at WHERE device_id = ? AND state = 'QUEUED' AND expires_at <= ?")) {
            ps.setString(1, deviceId);
            ps.setLong(2, now.toEpochMilli());
            int expired = ps.executeUpdate();
            if (expired > 0) {
                LOG.info("c2d-expired device={} count={}", deviceId, expired);
            }
        }
    }

    private static void removeFinished(Connection c, String deviceId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM c2d_messages WHERE device_id = ? "
                + "AND state <> 'QUEUED' AND state_changed_at < ?")) {
            ps.setString(1, deviceId);
            ps.setLong(2, now.minus(FINISHED_RETENTION).toEpochMilli());
            ps.executeUpdate();
        }
    }

    private static List<C2dEntry> select(Connection c, String sql, String deviceId) throws SQLException {
        List<C2dEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
        }
        return out;
    }

    private static C2dEntry entry(ResultSet rs) throws SQLException {
        TreeMap<String, String> props = new TreeMap<>();
        Json.parseObject(rs.getString("properties"), "stored properties").fields()
                .forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
        CloudToDeviceMessage message = new CloudToDeviceMessage(rs.getString("message_id"),
                rs.getString("correlation_id"), rs.getString("content_type"), rs.getString("content_encoding"),
                Duration.ofMillis(rs.getLong("ttl_ms")), props, rs.getBytes("body"));
        return new C2dEntry(rs.getLong("seq"), rs.getString("device_id"), message, Rows.instant(rs, "enqueued_at"),
                Rows.instant(rs, "expires_at"), C2dState.valueOf(rs.getString("state")), rs.getInt("delivery_count"),
                Rows.instant(rs, "state_changed_at"));
    }
}
