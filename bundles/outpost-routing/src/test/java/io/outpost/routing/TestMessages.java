package io.outpost.routing;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The sample messages that the condition tables refer to by name. */
final class TestMessages {

    static final String JSON = "{\"temp\": 30.5, \"name\": \"pump\", \"ok\": true, \"nothing\": null, \"text\": \"42\","
            + " \"nested\": {\"a\": {\"b\": 7}}, \"list\": [1, 2, {\"c\": \"x\"}], \"matrix\": [[1, 2], [3, 4]],"
            + " \"obj\": {\"k\": 1}}";
    static final String TWIN = "{\"version\": 3, \"properties\": {\"desired\": {\"x\": 1, \"gone\": null,"
            + " \"obj\": {\"a\": 1}}}, \"tags\": {\"site\": \"A\"}}";

    private static final Map<String, RouteMessage> MESSAGES = new HashMap<>();

    static {
        MESSAGES.put("empty", new RouteMessage(MessageSource.device("d"), Map.of(), Map.of(), null));
        MESSAGES.put("plain", new RouteMessage(MessageSource.module("sensor", "out1"),
                Map.of("messageId", "m1", "connectionDeviceId", "dev1", "connectionModuleId", "sensor",
                        "contentType", "text/plain", "contentEncoding", "utf-8", "outputName", "out1"),
                Map.of("temp", "30", "level", "high", "$messageId", "app-override"),
                "hello".getBytes(StandardCharsets.UTF_8)));
        MESSAGES.put("leaf", new RouteMessage(MessageSource.device("leaf1"), Map.of("connectionDeviceId", "leaf1"),
                Map.of(), null));
        json("json", "application/json", "utf-8", StandardCharsets.UTF_8, Map.of());
        json("jsonUpperCase", "APPLICATION/JSON", "UTF-8", StandardCharsets.UTF_8, Map.of());
        json("jsonNoEncoding", "application/json", null, StandardCharsets.UTF_8, Map.of());
        json("jsonUtf16", "application/json", "utf-16", StandardCharsets.UTF_16LE, Map.of());
        json("jsonUtf32", "application/json", "UTF-32", Charset.forName("UTF-32LE"), Map.of());
        json("jsonGzip", "application/json", "gzip", StandardCharsets.UTF_8, Map.of());
        json("jsonTextPlain", "text/plain", "utf-8", StandardCharsets.UTF_8, Map.of());
        json("jsonNoContentType", null, "utf-8", StandardCharsets.UTF_8, Map.of());
        json("jsonShadowed", "application/json", "utf-8", StandardCharsets.UTF_8, Map.of("$body.name", "overridden"));
        MESSAGES.put("jsonInvalid", new RouteMessage(MessageSource.device("d"),
                Map.of("contentType", "application/json", "contentEncoding", "utf-8"), Map.of(),
                "{\"temp\": 31".getBytes(StandardCharsets.UTF_8)));
        MESSAGES.put("twin", new RouteMessage(MessageSource.twinChange("dev1"), Map.of(), Map.of(),
                TWIN.getBytes(StandardCharsets.UTF_8)));
    }

    private TestMessages() {
    }

    private static void json(String name, String contentType, String encoding, Charset charset, Map<String, String> props) {
        Map<String, String> sys = new HashMap<>();
        if (contentType != null) {
            sys.put("contentType", contentType);
        }
        if (encoding != null) {
            sys.put("contentEncoding", encoding);
        }
        MESSAGES.put(name, new RouteMessage(MessageSource.device("d"), sys, props, JSON.getBytes(charset)));
    }

    static RouteMessage get(String name) {
        RouteMessage m = MESSAGES.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no sample message named " + name);
        }
        return m;
    }
}
