package io.outpost.bench.hub;

import io.outpost.security.SasToken;
import io.outpost.testing.ModuleCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


/**
 * The Outpost edge hub's MQTT listener in IoT Hub's dialect: leaf devices publish telemetry on
 * {@code devices/<leaf>/messages/events/} with SAS tokens made from their keys; the subscriber is the deployed
 * module, which receives the routed messages on {@code devices/<device>/modules/<module>/inputs/...} and
 * authenticates with a SAS token that the workload API signed, as a real module does.
 */
final class OutpostTarget implements Target {

    static final String API_VERSION = ModuleCredentials.MQTT_API_VERSION;

    /** A leaf device: its id and its key, and the hub name of its connection string. */
    record Leaf(String hub, String deviceId, String key) {
    }

    static final Duration TOKEN_VALIDITY = Duration.ofHours(2);

    private final int port;
    private final ModuleCredentials module;
    private final List<Leaf> leaves;

    OutpostTarget(int port, ModuleCredentials module, List<Leaf> leaves) {
        if (leaves.isEmpty()) {
            throw new IllegalArgumentException("at least one leaf device is needed");
        }
        this.port = port;
        this.module = module;
        this.leaves = List.copyOf(leaves);
    }

    /** Leaf devices from connection strings ({@code HostName=..;DeviceId=..;SharedAccessKey=..}), one a line. */
    static List<Leaf> leaves(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty()).map(l -> {
            Map<String, String> parts = new HashMap<>();
            for (String part : l.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    parts.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            return new Leaf(require(parts, "HostName"), require(parts, "DeviceId"), require(parts, "SharedAccessKey"));
        }).toList();
    }

    private static String require(Map<String, String> map, String key) {
        String value = map.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is missing from a leaf's connection string");
        }
        return value;
    }

    @Override
    public String name() {
        return "Outpost";
    }

    @Override
    public String serverUri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public int publishers() {
        return leaves.size();
    }

    @Override
    public ClientSpec publisher(int index) {
        Leaf leaf = leaves.get(index);
        String token = SasToken.create(leaf.hub() + "/devices/" + leaf.deviceId(), leaf.key(),
                Instant.now().plus(TOKEN_VALIDITY));
        return new ClientSpec(leaf.deviceId(), leaf.hub() + "/" + leaf.deviceId() + "/?api-version=" + API_VERSION,
                token, "devices/" + leaf.deviceId() + "/messages/events/");
    }

    @Override
    public ClientSpec subscriber() {
        return new ClientSpec(module.clientId(), module.mqttUsername(), module.sasToken(TOKEN_VALIDITY),
                "devices/" + module.deviceId() + "/modules/" + module.moduleId() + "/inputs/#");
    }
}
