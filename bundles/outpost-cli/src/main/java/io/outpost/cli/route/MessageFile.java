package io.outpost.cli.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpost.routing.MessageSource;
import io.outpost.routing.RouteMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the sample message of {@code outpost route eval}:
 * {@code {"systemProperties":{...},"properties":{...},"body":<any JSON value, or a string>}}. Property
 * values are strings (numbers and booleans are taken as their text). A string body is the payload's text;
 * any other JSON value is the payload serialized as UTF-8 JSON. The sender is the module named by
 * {@code connectionModuleId} when set, else the device named by {@code connectionDeviceId}.
 */
final class MessageFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file cannot be read or is not a message; the CLI exits 2. */
    static final class UnreadableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private MessageFile() {
    }

    static RouteMessage read(Path file) throws UnreadableException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new UnreadableException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UnreadableException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new UnreadableException(file + " must hold a JSON object", null);
        }
        Map<String, String> sys = strings(root, "systemProperties");
        Map<String, String> props = strings(root, "properties");
        return new RouteMessage(sender(sys), sys, props, body(root.get("body")));
    }

    private static Map<String, String> strings(JsonNode root, String field) throws UnreadableException {
        JsonNode node = root.get(field);
        Map<String, String> map = new HashMap<>();
        if (node == null || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            throw new UnreadableException(field + " must be a JSON object", null);
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new UnreadableException(field + "." + e.getKey() + " must be a string", null);
            }
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }

    private static byte[] body(JsonNode body) throws UnreadableException {
        if (body == null) {
            return new byte[0];
        }
        if (body.isTextual()) {
            return body.asText().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UnreadableException("cannot serialize body: " + e.getOriginalMessage(), e);
        }
    }

    private static MessageSource sender(Map<String, String> sys) {
        String module = sys.get("connectionModuleId");
        if (module != null && !module.isEmpty()) {
            String output = sys.get("outputName");
            return MessageSource.module(module, output == null || output.isEmpty() ? null : output);
        }
        String device = sys.get("connectionDeviceId");
        return MessageSource.device(device == null || device.isEmpty() ? "device" : device);
    }
}
