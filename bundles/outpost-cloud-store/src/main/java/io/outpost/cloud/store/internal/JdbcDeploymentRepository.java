package io.outpost.cloud.store.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.cloud.FleetDeployment;
import io.outpost.cloud.store.internal.json.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Fleet deployments in the {@code deployments} table; deployments are immutable once created. */
final class JdbcDeploymentRepository {

    private final Database db;

    JdbcDeploymentRepository(Database db) {
        this.db = db;
    }

    void insert(FleetDeployment d) {
        ObjectNode labels = Json.object();
        d.labels().forEach(labels::put);
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO deployments (deployment_id, modules_content, "
                    + "target_condition, priority, labels, layered, created_at) VALUES (?,?,?,?,?,?,?)")) {
                ps.setString(1, d.id());
                ps.setString(2, d.modulesContent());
                ps.setString(3, d.targetCondition());
                ps.setInt(4, d.priority());
                ps.setString(5, Json.write(labels));
                ps.setBoolean(6, d.layered());
                ps.setLong(7, d.createdAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    Optional<FleetDeployment> get(String id) {
        return select(" WHERE deployment_id = ?", id).stream().findFirst();
    }

    List<FleetDeployment> list() {
        return select("", null);
    }

    boolean delete(String id) {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM deployments WHERE deployment_id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private List<FleetDeployment> select(String where, String id) {
        return db.transaction(c -> {
            List<FleetDeployment> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM deployments" + where
                    + " ORDER BY deployment_id")) {
                if (id != null) {
                    ps.setString(1, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(deployment(rs));
                    }
                }
            }
            return list;
        });
    }

    private static FleetDeployment deployment(ResultSet rs) throws SQLException {
        TreeMap<String, String> labels = new TreeMap<>();
        Json.parseObject(rs.getString("labels"), "stored labels").fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new FleetDeployment(rs.getString("deployment_id"), rs.getString("modules_content"),
                rs.getString("target_condition"), rs.getInt("priority"), labels, Rows.instant(rs, "created_at"),
                rs.getBoolean("layered"));
    }
}
