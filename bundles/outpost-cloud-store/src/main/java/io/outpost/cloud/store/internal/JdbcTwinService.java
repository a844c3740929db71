package io.outpost.cloud.store.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.CloudErrorCode;
import io.outpost.cloud.Twin;
import io.outpost.cloud.TwinChange;
import io.outpost.cloud.TwinId;
import io.outpost.cloud.TwinPatch;
import io.outpost.cloud.TwinSection;
import io.outpost.cloud.TwinService;
import io.outpost.cloud.store.internal.json.Json;
import io.outpost.common.Clock;
import io.outpost.common.OutpostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Twins in the {@code twins} table, changed under a row lock with optimistic concurrency on the twin's
 * version; each change is written to {@code twin_history}, whose entries older than the retention are removed
 * whenever the twin changes.
 */
final class JdbcTwinService implements TwinService {

    private final Database db;
    private final Clock clock;
    private final Duration historyRetention;

    JdbcTwinService(Database db, Clock clock, Duration historyRetention) {
        this.db = db;
        this.clock = clock;
        this.historyRetention = historyRetention;
    }

    @Override
    public Optional<Twin> get(TwinId id) {
        return db.transaction(c -> TwinRows.select(c, id.deviceId(), Rows.module(id.moduleId()), false));
    }

    @Override
    public List<Twin> moduleTwins(String deviceId) {
        return query("SELECT " + TwinRows.COLUMNS + " FROM twins WHERE device_id = ? AND module_id <> '' "
                + "ORDER BY module_id", deviceId);
    }

    @Override
    public List<Twin> deviceTwins() {
        return query("SELECT " + TwinRows.COLUMNS + " FROM twins WHERE module_id = '' ORDER BY device_id");
    }

    private List<Twin> query(String sql, String... params) {
        return db.transaction(c -> {
            List<Twin> twins = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setString(i + 1, params[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        twins.add(TwinRows.twin(rs));
                    }
                }
            }
            return twins;
        });
    }

    @Override
    public Twin update(TwinId id, TwinPatch patch) {
        if (patch.section() == TwinSection.TAGS && id.isModule()) {
            throw new OutpostException(CloudErrorCode.INVALID_ARGUMENT, "module twin " + id + " has no tags");
        }
        ObjectNode given = Json.parseObject(patch.json(), patch.section().path());
        return db.transaction(c -> {
            Twin twin = TwinRows.select(c, id.deviceId(), Rows.module(id.moduleId()), true)
                    .orElseThrow(() -> new OutpostException(CloudErrorCode.NOT_FOUND, "no twin '" + id + "'"));
            if (patch.ifVersion().isPresent() && patch.ifVersion().getAsLong() != twin.version()) {
                throw new OutpostException(CloudErrorCode.VERSION_MISMATCH, "twin '" + id + "' is at version "
                        + twin.version() + " (ETag " + twin.etag() + "), the change expected version "
                        + patch.ifVersion().getAsLong() + ": read the twin again and retry");
            }
            ObjectNode section = patch.replace() ? Json.withoutNulls(given)
                    : Json.mergePatch(Json.parseObject(text(twin, patch.section()), "stored section"), given);
            String json = Json.write(section);
            TwinLimits.check(patch.section(), section, json);
            long now = clock.now().toEpochMilli();
            write(c, twin, patch.section(), json, now);
            record(c, id, twin.version() + 1, patch, now);
            return TwinRows.select(c, id.deviceId(), Rows.module(id.moduleId()), false).orElseThrow();
        });
    }

    private static String text(Twin twin, TwinSection section) {
        return switch (section) {
            case TAGS -> twin.tags();
            case DESIRED -> twin.desired();
            case REPORTED -> twin.reported();
        };
    }

    private static void write(Connection c, Twin twin, TwinSection section, String json, long now)
            throws SQLException {
        String set = switch (section) {
            case TAGS -> "tags = ?";
            case DESIRED -> "desired = ?, desired_version = desired_version + 1";
            case REPORTED -> "reported = ?, reported_version = reported_version + 1";
        };
        try (PreparedStatement ps = c.prepareStatement("UPDATE twins SET " + set + ", version = version + 1, "
                + "updated_at = ? WHERE device_id = ? AND module_id = ? AND version = ?")) {
            ps.setString(1, json);
            ps.setLong(2, now);
            ps.setString(3, twin.id().deviceId());
            ps.setString(4, Rows.module(twin.id().moduleId()));
            ps.setLong(5, twin.version());
            if (ps.executeUpdate() != 1) {
                throw new OutpostException(CloudErrorCode.VERSION_MISMATCH, "twin '" + twin.id()
                        + "' changed while it was being updated: retry");
            }
        }
    }

    private void record(Connection c, TwinId id, long version, TwinPatch patch, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO twin_history (device_id, module_id, version, "
                + "section, patch, replaced, changed_at) VALUES (?,?,?,?,?,?,?)")) {
            ps.setString(1, id.deviceId());
            ps.setString(2, Rows.module(id.moduleId()));
            ps.setLong(3, version);
            ps.setString(4, patch.section().name());
            ps.setString(5, patch.json());
            ps.setBoolean(6, patch.replace());
            ps.setLong(7, now);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM twin_history WHERE device_id = ? "
                + "AND module_id = ? AND changed_at < ?")) {
            ps.setString(1, id.deviceId());
            ps.setString(2, Rows.module(id.moduleId()));
            ps.setLong(3, now - historyRetention.toMillis());
            ps.executeUpdate();
        }
    }

    @Override
    public List<TwinChange> history(TwinId id) {
        long oldest = clock.now().minus(historyRetention).toEpochMilli();
        return db.transaction(c -> {
            List<TwinChange> changes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT version, section, patch, replaced, changed_at "
                    + "FROM twin_history WHERE device_id = ? AND module_id = ? AND changed_at >= ? ORDER BY change_id")) {
                ps.setString(1, id.deviceId());
                ps.setString(2, Rows.module(id.moduleId()));
                ps.setLong(3, oldest);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changes.add(new TwinChange(id, rs.getLong("version"), TwinSection.valueOf(rs.getString("section")),
                                rs.getString("patch"), rs.getBoolean("replaced"), Rows.instant(rs, "changed_at")));
                    }
                }
            }
            return changes;
        });
    }

    /** Removes history entries older than the retention, of every twin; returns how many. */
    int pruneHistory() {
        long oldest = clock.now().minus(historyRetention).toEpochMilli();
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM twin_history WHERE changed_at < ?")) {
                ps.setLong(1, oldest);
                return ps.executeUpdate();
            }
        });
    }

    /** Creates the module twin unless it exists; used when a deployment writes twins of new modules. */
    void ensureModuleTwin(String deviceId, String moduleId) {
        db.transaction(c -> {
            JdbcDeviceRegistry.requireDevice(c, deviceId);
            return TwinRows.insertIfAbsent(c, deviceId, moduleId, clock.now().toEpochMilli());
        });
    }
}
