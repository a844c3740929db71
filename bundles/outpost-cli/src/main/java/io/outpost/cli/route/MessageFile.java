package io.outpost.cli.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpost.routing.RouteMessage;
import io.outpost.routing.SampleMessages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the sample message of {@code outpost route eval}:
 * {@code {"systemProperties":{...},"properties":{...},"body":<any JSON value, or a string>}}, as the route
 * language's own {@link SampleMessages#fromJson} reads it (the edge's {@code edge:route-test} reads the same):
 * property values are strings (numbers and booleans are taken as their text), a string body is the payload's
 * text, any other JSON value is the payload serialized as UTF-8 JSON, and the sender is the module named by
 * {@code connectionModuleId} when set, else the device named by {@code connectionDeviceId}. The file's JSON is
 * checked first, so that a file that is not JSON is reported with the parser's position.
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
        byte[] bytes;
        JsonNode root;
        try {
            bytes = Files.readAllBytes(file);
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new UnreadableException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UnreadableException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new UnreadableException(file + " must hold a JSON object", null);
        }
        try {
            return SampleMessages.fromJson(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new UnreadableException(e.getMessage(), e);
        }
    }
}
