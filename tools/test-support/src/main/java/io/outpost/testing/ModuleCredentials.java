package io.outpost.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpost.security.SasToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What a deployed module knows of itself, read from its container as {@code docker inspect} shows it (its
 * {@code IOTEDGE_*} environment and the bind that holds its workload socket), and what it does with it: has the
 * workload API sign ({@code POST /modules/<m>/genid/<g>/sign}, over the unix socket) and builds its SAS token and
 * MQTT credentials from the signature, never seeing its key.
 *
 * @param workloadSocket the host path of the socket the container sees at {@code IOTEDGE_WORKLOADURI}
 */
public record ModuleCredentials(String hubName, String deviceId, String moduleId, String generationId,
        Path workloadSocket) {

    /** The api-version Azure IoT Edge's SDKs send to the workload API. */
    public static final String WORKLOAD_API_VERSION = "2019-01-30";
    /** The api-version in an MQTT user name, as Azure's SDKs send it. */
    public static final String MQTT_API_VERSION = "2021-04-12";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** From the output of {@code docker inspect <container>} (a JSON array of one container). */
    public static ModuleCredentials fromInspect(String inspectJson) {
        JsonNode container;
        try {
            JsonNode all = JSON.readTree(inspectJson);
            container = all.isArray() ? all.path(0) : all;
        } catch (IOException e) {
            throw new IllegalArgumentException("not docker inspect's JSON: " + e.getMessage(), e);
        }
        Map<String, String> env = new HashMap<>();
        for (JsonNode entry : container.path("Config").path("Env")) {
            String text = entry.asText();
            int eq = text.indexOf('=');
            if (eq > 0) {
                env.put(text.substring(0, eq), text.substring(eq + 1));
            }
        }
        String uri = require(env, "IOTEDGE_WORKLOADURI");
        if (!uri.startsWith("unix://")) {
            throw new IllegalArgumentException("IOTEDGE_WORKLOADURI is not a unix socket: " + uri);
        }
        String inside = uri.substring("unix://".length());
        Path host = null;
        for (JsonNode mount : container.path("Mounts")) {
            String destination = mount.path("Destination").asText();
            String prefix = destination.endsWith("/") ? destination : destination + "/";
            if (inside.equals(destination)) {
                host = Path.of(mount.path("Source").asText());
            } else if (inside.startsWith(prefix)) {
                host = Path.of(mount.path("Source").asText(), inside.substring(prefix.length()));
            }
        }
        if (host == null) {
            throw new IllegalArgumentException("no mount of the container holds its workload socket " + inside);
        }
        String hub = env.getOrDefault("IOTEDGE_IOTHUBHOSTNAME", "");
        return new ModuleCredentials(hub.isEmpty() ? require(env, "IOTEDGE_GATEWAYHOSTNAME") : hub,
                require(env, "IOTEDGE_DEVICEID"), require(env, "IOTEDGE_MODULEID"),
                require(env, "IOTEDGE_MODULEGENERATIONID"), host);
    }

    /** The module's MQTT client id, {@code <device>/<module>}. */
    public String clientId() {
        return deviceId + "/" + moduleId;
    }

    /** The module's MQTT user name, {@code <hub>/<device>/<module>/?api-version=...}. */
    public String mqttUsername() {
        return hubName + "/" + clientId() + "/?api-version=" + MQTT_API_VERSION;
    }

    /** A SAS token for the module, valid for {@code validity}, signed by the workload API. */
    public String sasToken(Duration validity) {
        return SasToken.create(hubName + "/devices/" + deviceId + "/modules/" + moduleId, Instant.now().plus(validity),
                this::sign);
    }

    /** The base64 HMAC-SHA256 of the text with the module's primary key, as the workload API computes it. */
    public String sign(String text) {
        String data = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        byte[] body = ("{\"keyId\":\"primary\",\"algo\":\"HMACSHA256\",\"data\":\"" + data + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String head = "POST /modules/" + moduleId + "/genid/" + generationId + "/sign?api-version="
                + WORKLOAD_API_VERSION + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        String answer = exchange(head.getBytes(StandardCharsets.US_ASCII), body);
        int lineEnd = answer.indexOf("\r\n");
        String status = lineEnd < 0 ? answer : answer.substring(0, lineEnd);
        int bodyStart = answer.indexOf("\r\n\r\n");
        if (!status.matches("HTTP/1\\.[01] 200.*") || bodyStart < 0) {
            throw new IllegalStateException("the workload API at " + workloadSocket + " answered '" + status + "'");
        }
        try {
            JsonNode digest = JSON.readTree(answer.substring(bodyStart + 4)).path("digest");
            if (!digest.isTextual()) {
                throw new IllegalStateException("the workload API's answer has no digest: " + answer);
            }
            return digest.asText();
        } catch (IOException e) {
            throw new IllegalStateException("the workload API's answer is not JSON: " + answer, e);
        }
    }

    private String exchange(byte[] head, byte[] body) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(workloadSocket));
            for (ByteBuffer out : new ByteBuffer[] {ByteBuffer.wrap(head), ByteBuffer.wrap(body)}) {
                while (out.hasRemaining()) {
                    channel.write(out);
                }
            }
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            while (channel.read(buffer) >= 0) {
                in.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return in.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the workload API at " + workloadSocket, e);
        }
    }

    private static String require(Map<String, String> env, String key) {
        String value = env.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is missing from the container's environment");
        }
        return value;
    }
}
